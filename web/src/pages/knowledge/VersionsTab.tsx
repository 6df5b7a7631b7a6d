import { useState } from 'react';
import { Flex, Select, Table, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useKbCompare, type DiffRow, type KbVersion } from '../../api/kb';
import { useFormatDateTime } from '../../lib/format';
import { STATUS_COLORS, useKbLabels } from './labels';

const BG: Record<DiffRow['kind'], [string, string]> = {
  same: ['', ''],
  add: ['', '#e6ffec'],
  remove: ['#ffebe9', ''],
  change: ['#fff5e6', '#fff5e6'],
};

/** Version list (revision record) and a side-by-side line diff of any two versions. */
export function VersionsTab({ articleId, versions }: { articleId: string; versions: KbVersion[] }) {
  const { t } = useTranslation();
  const label = useKbLabels();
  const formatDate = useFormatDateTime();
  const numbers = versions.map((v) => v.number);
  const [from, setFrom] = useState<number | undefined>(numbers[1]);
  const [to, setTo] = useState<number | undefined>(numbers[0]);
  const cmp = useKbCompare(articleId, from, to);
  const options = numbers.map((n) => ({ value: n, label: `v${n}` }));
  return (
    <Flex vertical gap={16}>
      <Table<KbVersion>
        rowKey="id"
        size="small"
        pagination={false}
        dataSource={versions}
        columns={[
          { title: '#', key: 'n', render: (_, v) => `v${v.number}` },
          {
            title: t('kb.fields.status'),
            key: 's',
            render: (_, v) => <Tag color={STATUS_COLORS[v.status]}>{label.status(v.status)}</Tag>,
          },
          { title: t('kb.fields.reason'), dataIndex: 'reason', key: 'r' },
          { title: t('kb.fields.author'), dataIndex: 'authorName', key: 'a' },
          {
            title: t('kb.fields.reviewers'),
            key: 'rev',
            render: (_, v) =>
              v.approvals.map((x) => `${label.status(x.step)}: ${x.userName}`).join(' · '),
          },
          {
            title: t('kb.fields.publishedAt'),
            key: 'p',
            render: (_, v) => (v.publishedAt ? formatDate(v.publishedAt) : '—'),
          },
        ]}
        data-testid="kb-versions"
      />
      {numbers.length > 1 && (
        <>
          <Flex gap={8} align="center">
            <Typography.Text>{t('kb.compare')}</Typography.Text>
            <Select value={from} onChange={setFrom} options={options} style={{ width: 90 }} />
            <span>→</span>
            <Select value={to} onChange={setTo} options={options} style={{ width: 90 }} />
            {cmp.data && (
              <Typography.Text type="secondary">
                +{cmp.data.added} −{cmp.data.removed}
              </Typography.Text>
            )}
          </Flex>
          <table
            style={{
              width: '100%',
              borderCollapse: 'collapse',
              fontFamily: 'monospace',
              fontSize: 13,
            }}
            data-testid="kb-diff"
          >
            <tbody>
              {(cmp.data?.rows ?? []).map((r, i) => (
                <tr key={i}>
                  <td style={{ width: 32, color: '#999' }}>{r.left?.line}</td>
                  <td style={{ background: BG[r.kind][0], whiteSpace: 'pre-wrap', width: '48%' }}>
                    {r.left?.text}
                  </td>
                  <td style={{ width: 32, color: '#999' }}>{r.right?.line}</td>
                  <td style={{ background: BG[r.kind][1], whiteSpace: 'pre-wrap', width: '48%' }}>
                    {r.right?.text}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </Flex>
  );
}
