import { App, Alert, Checkbox, Form, Input, Modal, Radio, Select, Switch } from 'antd';
import { useTranslation } from 'react-i18next';
import {
  useSaveAlertChannel,
  type AlertChannel,
  type AlertChannelInput,
  type AlertChannelType,
  type AlertEventType,
} from '../../../api/alerts';
import { useAllTeams } from '../../../api/teams';
import { useApiErrorHandler } from '../../../lib/errors';

interface Props {
  open: boolean;
  channel?: AlertChannel;
  onClose: () => void;
}

interface Values {
  name: string;
  teamId: string;
  eventTypes: AlertEventType[];
  channelType: AlertChannelType;
  msgType: 'markdown' | 'text';
  url: string;
  secret: string;
  enabled: boolean;
}

const ALL = '__all__';
const EVENTS: AlertEventType[] = ['escalation', 'sla_breach', 'green_channel', 'incident'];

export function ChannelModal({ open, channel, onClose }: Props) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const save = useSaveAlertChannel();
  const teams = useAllTeams(open);
  const onError = useApiErrorHandler();
  const type = Form.useWatch('channelType', form) ?? channel?.channelType ?? 'wecom';

  const submit = (v: Values) => {
    const body: AlertChannelInput = {
      name: v.name.trim(),
      teamId: v.teamId === ALL ? null : v.teamId,
      eventTypes: v.eventTypes,
      channelType: v.channelType,
      msgType: v.msgType,
      enabled: v.enabled,
    };
    // Saved URLs and secrets are never shown again: blank keeps what was saved.
    if (v.url?.trim()) body.url = v.url.trim();
    if (v.channelType !== 'wecom' && v.secret) body.secret = v.secret;
    if (v.channelType === 'wecom' && channel?.secretSet) body.secret = '';
    save.mutate(channel ? { id: channel.id, ...body } : body, {
      onSuccess: () => {
        void message.success(t('alerts.saved'));
        onClose();
      },
      onError: (e) => onError(e, form),
    });
  };

  return (
    <Modal
      title={channel ? t('alerts.edit') : t('alerts.create')}
      open={open}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={channel ? t('common.save') : t('common.create')}
      cancelText={t('common.cancel')}
      confirmLoading={save.isPending}
      destroyOnHidden
      okButtonProps={{ 'data-testid': 'channel-save' } as never}
    >
      <Form<Values>
        key={channel?.id ?? 'new'}
        form={form}
        layout="vertical"
        preserve={false}
        initialValues={{
          name: channel?.name ?? '',
          teamId: channel?.teamId ?? ALL,
          eventTypes: channel?.eventTypes ?? ['escalation', 'sla_breach', 'green_channel'],
          channelType: channel?.channelType ?? 'wecom',
          msgType: channel?.msgType ?? 'markdown',
          url: '',
          secret: '',
          enabled: channel?.enabled ?? true,
        }}
        onFinish={submit}
        data-testid="channel-form"
      >
        <Form.Item
          name="name"
          label={t('alerts.fields.name')}
          rules={[{ required: true, whitespace: true, message: t('validation.required') }]}
        >
          <Input maxLength={100} autoComplete="off" data-testid="channel-name" />
        </Form.Item>
        <Form.Item name="channelType" label={t('alerts.fields.channelType')}>
          <Radio.Group data-testid="channel-type">
            {(['wecom', 'dingtalk', 'webhook'] as const).map((c) => (
              <Radio.Button key={c} value={c}>
                {t(`alerts.channelTypes.${c}`)}
              </Radio.Button>
            ))}
          </Radio.Group>
        </Form.Item>
        <Form.Item name="teamId" label={t('alerts.fields.team')}>
          <Select
            loading={teams.isPending}
            options={[
              { value: ALL, label: t('alerts.allTeams') },
              ...(teams.data ?? []).map((tm) => ({ value: tm.id, label: tm.name })),
            ]}
          />
        </Form.Item>
        <Form.Item
          name="eventTypes"
          label={t('alerts.fields.eventTypes')}
          rules={[{ required: true, message: t('validation.required') }]}
        >
          <Checkbox.Group
            options={EVENTS.map((e) => ({ value: e, label: t(`alerts.events.${e}`) }))}
          />
        </Form.Item>
        <Form.Item
          name="url"
          label={t('alerts.fields.url')}
          extra={channel ? t('alerts.urlKeep', { url: channel.url }) : t(`alerts.urlHelp.${type}`)}
          rules={
            channel
              ? [{ pattern: /^https?:\/\//, message: t('alerts.urlInvalid') }]
              : [
                  { required: true, message: t('validation.required') },
                  { pattern: /^https?:\/\//, message: t('alerts.urlInvalid') },
                ]
          }
        >
          <Input maxLength={2000} autoComplete="off" data-testid="channel-url" />
        </Form.Item>
        {type !== 'wecom' && (
          <Form.Item
            name="secret"
            label={t('alerts.fields.secret')}
            extra={
              channel?.secretSet
                ? t('alerts.secretKeep', { hint: channel.secretHint })
                : t(`alerts.secretHelp.${type}`)
            }
          >
            <Input.Password
              maxLength={500}
              autoComplete="new-password"
              data-testid="channel-secret"
            />
          </Form.Item>
        )}
        {type !== 'webhook' && (
          <Form.Item name="msgType" label={t('alerts.fields.msgType')}>
            <Radio.Group
              options={[
                { value: 'markdown', label: 'Markdown' },
                { value: 'text', label: t('alerts.text') },
              ]}
            />
          </Form.Item>
        )}
        <Form.Item name="enabled" label={t('alerts.fields.enabled')} valuePropName="checked">
          <Switch />
        </Form.Item>
        {type === 'webhook' && <Alert type="info" showIcon message={t('alerts.webhookNote')} />}
      </Form>
    </Modal>
  );
}
