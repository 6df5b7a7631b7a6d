import { App, Button } from 'antd';
import { PhoneOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { useAbilities } from '../../api/auth';
import { useDial } from '../../api/calls';
import { useApiErrorHandler } from '../../lib/errors';

/**
 * Click-to-call: Kefu asks the phone provider to dial the number behind a call-back task, a
 * ticket's customer or a customer (the number stays masked here; the server resolves it).
 */
export function DialButton(props: {
  target: { callbackId: string } | { ticketId: string } | { customerId: string };
  size?: 'small' | 'middle';
  label?: string;
}) {
  const { t } = useTranslation();
  const can = useAbilities();
  const { message } = App.useApp();
  const onError = useApiErrorHandler();
  const dial = useDial();
  if (!can('calls.dial')) return null;
  return (
    <Button
      size={props.size ?? 'small'}
      icon={<PhoneOutlined />}
      loading={dial.isPending}
      data-testid="dial"
      onClick={() =>
        dial.mutate(props.target, {
          onSuccess: (call) =>
            void message.success(
              t(`calls.dial.result.${call.state}`, { number: call.callerNumber }),
            ),
          onError: (e) => onError(e),
        })
      }
    >
      {props.label ?? t('calls.dial.button')}
    </Button>
  );
}
