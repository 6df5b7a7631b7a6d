import { App, Form, Input, Modal } from 'antd';
import { useTranslation } from 'react-i18next';
import { useCreateTeam, useUpdateTeam, type TeamInput } from '../../../api/teams';
import type { Team } from '../../../api/types';
import { useApiErrorHandler } from '../../../lib/errors';

interface Props {
  open: boolean;
  /** The team to edit; undefined when creating. */
  team?: Team;
  onClose: () => void;
}

export function TeamModal({ open, team, onClose }: Props) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<TeamInput>();
  const create = useCreateTeam();
  const update = useUpdateTeam();
  const onError = useApiErrorHandler();
  const pending = create.isPending || update.isPending;

  const submit = (values: TeamInput) => {
    const body = { name: values.name.trim(), description: values.description?.trim() ?? '' };
    const options = {
      onSuccess: () => {
        void message.success(t(team ? 'teams.saved' : 'teams.created'));
        onClose();
      },
      onError: (error: unknown) => onError(error, form),
    };
    if (team) update.mutate({ id: team.id, ...body }, options);
    else create.mutate(body, options);
  };

  return (
    <Modal
      title={team ? t('teams.edit') : t('teams.create')}
      open={open}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={team ? t('common.save') : t('common.create')}
      cancelText={t('common.cancel')}
      confirmLoading={pending}
      destroyOnHidden
    >
      <Form<TeamInput>
        key={team?.id ?? 'new'}
        form={form}
        layout="vertical"
        preserve={false}
        initialValues={{ name: team?.name ?? '', description: team?.description ?? '' }}
        onFinish={submit}
        data-testid="team-form"
      >
        <Form.Item
          name="name"
          label={t('fields.teamName')}
          rules={[{ required: true, whitespace: true, message: t('validation.required') }]}
        >
          <Input autoComplete="off" maxLength={100} />
        </Form.Item>
        <Form.Item name="description" label={t('fields.description')}>
          <Input.TextArea rows={3} maxLength={500} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
