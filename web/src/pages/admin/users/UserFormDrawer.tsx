import { App, Button, Drawer, Flex, Form, Input, Select } from 'antd';
import { useTranslation } from 'react-i18next';
import { useAbilities } from '../../../api/auth';
import { useAllTeams } from '../../../api/teams';
import type { Locale, User } from '../../../api/types';
import { useCreateUser, useUpdateUser } from '../../../api/users';
import { useMeta } from '../../../api/profile';
import { currentLocale } from '../../../i18n';
import { useApiErrorHandler } from '../../../lib/errors';
import { MIN_PASSWORD_LENGTH } from '../../../lib/password';
import { useRoleOptions } from '../../../lib/roles';
import { useLocaleOptions } from '../../../lib/useLocaleOptions';

interface Props {
  mode: 'create' | 'edit';
  user?: User;
  open: boolean;
  onClose: () => void;
}

interface Values {
  email: string;
  name: string;
  password: string;
  roles: string[];
  teamIds: string[];
  locale: Locale;
}

export function UserFormDrawer({ mode, user, open, onClose }: Props) {
  const { t } = useTranslation();
  const show = open && (mode === 'create' || user !== undefined);
  return (
    <Drawer
      title={mode === 'create' ? t('users.create') : t('users.edit')}
      open={show}
      onClose={onClose}
      size={480}
      destroyOnHidden
    >
      {show && <UserForm key={user?.id ?? 'new'} mode={mode} user={user} onDone={onClose} />}
    </Drawer>
  );
}

function UserForm({
  mode,
  user,
  onDone,
}: {
  mode: Props['mode'];
  user?: User;
  onDone: () => void;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const can = useAbilities();
  const meta = useMeta();
  const teams = useAllTeams(can('teams.list'));
  const roleOptions = useRoleOptions(meta.data?.roles);
  const localeOptions = useLocaleOptions();
  const create = useCreateUser();
  const update = useUpdateUser();
  const onError = useApiErrorHandler();
  const pending = create.isPending || update.isPending;

  const teamOptions = new Map<string, string>();
  for (const team of user?.teams ?? []) teamOptions.set(team.id, team.name);
  for (const team of teams.data ?? []) teamOptions.set(team.id, team.name);

  const initialValues: Partial<Values> = user
    ? {
        name: user.name,
        roles: user.roles,
        teamIds: user.teams.map((team) => team.id),
        locale: user.locale,
      }
    : { roles: ['agent'], teamIds: [], locale: currentLocale() };

  const submit = (values: Values) => {
    const options = {
      onSuccess: () => {
        void message.success(t(mode === 'create' ? 'users.created' : 'users.saved'));
        onDone();
      },
      onError: (error: unknown) => onError(error, form),
    };
    if (mode === 'create') {
      create.mutate(values, options);
    } else if (user) {
      const { name, roles, teamIds, locale } = values;
      update.mutate({ id: user.id, name, roles, teamIds, locale }, options);
    }
  };

  const required = { required: true, message: t('validation.required') };

  return (
    <Form<Values>
      form={form}
      layout="vertical"
      initialValues={initialValues}
      onFinish={submit}
      disabled={pending}
      data-testid="user-form"
    >
      {mode === 'create' && (
        <Form.Item
          name="email"
          label={t('fields.email')}
          rules={[required, { type: 'email', message: t('validation.email') }]}
        >
          <Input autoComplete="off" />
        </Form.Item>
      )}
      <Form.Item name="name" label={t('fields.name')} rules={[{ ...required, whitespace: true }]}>
        <Input autoComplete="off" />
      </Form.Item>
      {mode === 'create' && (
        <Form.Item
          name="password"
          label={t('fields.initialPassword')}
          extra={t('validation.passwordPolicy', { min: MIN_PASSWORD_LENGTH })}
          rules={[
            required,
            {
              min: MIN_PASSWORD_LENGTH,
              message: t('validation.passwordMin', { min: MIN_PASSWORD_LENGTH }),
            },
          ]}
        >
          <Input.Password autoComplete="new-password" />
        </Form.Item>
      )}
      <Form.Item
        name="roles"
        label={t('fields.roles')}
        rules={[{ ...required, type: 'array', min: 1 }]}
      >
        <Select mode="multiple" options={roleOptions} data-testid="user-roles" />
      </Form.Item>
      <Form.Item name="teamIds" label={t('fields.teams')}>
        <Select
          mode="multiple"
          loading={teams.isPending && teams.fetchStatus !== 'idle'}
          options={[...teamOptions].map(([value, label]) => ({ value, label }))}
          optionFilterProp="label"
          data-testid="user-teams"
        />
      </Form.Item>
      <Form.Item name="locale" label={t('fields.locale')} rules={[required]}>
        <Select options={localeOptions} />
      </Form.Item>
      <Flex justify="end" gap={8}>
        <Button onClick={onDone}>{t('common.cancel')}</Button>
        <Button type="primary" htmlType="submit" loading={pending} data-testid="user-form-submit">
          {mode === 'create' ? t('common.create') : t('common.save')}
        </Button>
      </Flex>
    </Form>
  );
}
