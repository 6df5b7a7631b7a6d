import { App, Button, Card, Descriptions, Form, Input, Select, Space, Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import { useMe } from '../../api/auth';
import { useUpdateMe } from '../../api/profile';
import type { Locale } from '../../api/types';
import { forgetSessionLocale, setLocale } from '../../i18n';
import { useApiErrorHandler } from '../../lib/errors';
import { useFormatDateTime } from '../../lib/format';
import { useRoleLabel } from '../../lib/roles';
import { useLocaleOptions } from '../../lib/useLocaleOptions';

interface Values {
  name: string;
  locale: Locale;
}

export function ProfileForm() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const { data: me } = useMe();
  const [form] = Form.useForm<Values>();
  const update = useUpdateMe();
  const onError = useApiErrorHandler();
  const localeOptions = useLocaleOptions();
  const roleLabel = useRoleLabel();
  const formatDate = useFormatDateTime();
  if (!me) return null;
  const { user } = me;

  const submit = (values: Values) => {
    update.mutate(
      { name: values.name.trim(), locale: values.locale },
      {
        onSuccess: (saved) => {
          setLocale(saved.locale);
          forgetSessionLocale();
          void message.success(t('profile.saved'));
        },
        onError: (error) => onError(error, form),
      },
    );
  };

  return (
    <Card title={t('profile.details')}>
      <Descriptions
        column={1}
        size="small"
        style={{ marginBottom: 16 }}
        items={[
          { key: 'email', label: t('fields.email'), children: user.email },
          {
            key: 'roles',
            label: t('fields.roles'),
            children: (
              <Space size={[0, 4]} wrap>
                {user.roles.map((role) => (
                  <Tag key={role}>{roleLabel(role)}</Tag>
                ))}
              </Space>
            ),
          },
          {
            key: 'teams',
            label: t('fields.teams'),
            children: user.teams.map((team) => team.name).join(t('common.listSeparator')),
          },
          {
            key: 'lastSignInAt',
            label: t('fields.lastSignInAt'),
            children: formatDate(user.lastSignInAt),
          },
        ]}
      />
      <Form<Values>
        key={`${user.id}:${user.locale}`}
        form={form}
        layout="vertical"
        initialValues={{ name: user.name, locale: user.locale }}
        onFinish={submit}
        disabled={update.isPending}
        data-testid="profile-form"
      >
        <Form.Item
          name="name"
          label={t('fields.name')}
          rules={[{ required: true, whitespace: true, message: t('validation.required') }]}
        >
          <Input autoComplete="name" />
        </Form.Item>
        <Form.Item name="locale" label={t('fields.locale')}>
          <Select options={localeOptions} data-testid="profile-locale" />
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={update.isPending}>
          {t('common.save')}
        </Button>
      </Form>
    </Card>
  );
}
