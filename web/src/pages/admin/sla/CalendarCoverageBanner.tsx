import { Alert, Button, Flex } from 'antd';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { useAbilities } from '../../../api/auth';
import { useCalendarCoverage, type SlaCalendarCoverage } from '../../../api/sla';

/**
 * The console-wide warning for administrators: a calendar has no holiday data for the coming
 * `calendarWarningDays` (SLA settings), so its holidays would count as working days. Each entry
 * links to the calendar's "import year" dialog. Shown above every page of the console.
 */
export function CalendarCoverageBanner() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const can = useAbilities();
  const admin = can('sla.calendars.write');
  const coverage = useCalendarCoverage(admin);
  if (!admin || !coverage.data) return null;
  const warned = coverage.data.calendars.filter((c) => c.warn);
  if (warned.length === 0) return null;
  const line = (c: SlaCalendarCoverage) =>
    c.coveredUntil
      ? t('slaAdmin.coverage.bannerItem', {
          name: c.name,
          until: c.coveredUntil,
          from: c.missingFrom,
        })
      : t('slaAdmin.coverage.bannerItemNone', {
          name: c.name,
          year: c.missingYear,
          from: c.missingFrom,
        });
  return (
    <Alert
      type="warning"
      showIcon
      banner
      style={{ marginBottom: 16 }}
      title={t('slaAdmin.coverage.bannerTitle', {
        count: warned.length,
        days: coverage.data.warnDays,
      })}
      description={
        <Flex vertical gap={4}>
          {warned.map((c) => (
            <Flex key={c.id} gap={8} align="center" wrap>
              <span>{line(c)}</span>
              <Button
                size="small"
                type="link"
                onClick={() =>
                  void navigate(`/admin/sla/calendars/${c.id}?importYear=${c.missingYear}`)
                }
                data-testid="coverage-import"
              >
                {t('slaAdmin.coverage.bannerAction', { year: c.missingYear })}
              </Button>
            </Flex>
          ))}
        </Flex>
      }
      data-testid="calendar-coverage-banner"
    />
  );
}
