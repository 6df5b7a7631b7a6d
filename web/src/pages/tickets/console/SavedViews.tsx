import { useState } from 'react';
import { App, Button, Dropdown, Input, Modal, Space } from 'antd';
import type { MenuProps } from 'antd';
import { DeleteOutlined, SaveOutlined, StarOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';

interface SavedView {
  name: string;
  search: string;
}

const STORAGE_KEY = 'kefu.tickets.views';
const MAX_VIEWS = 20;

function loadViews(): SavedView[] {
  try {
    const parsed: unknown = JSON.parse(window.localStorage.getItem(STORAGE_KEY) ?? '[]');
    if (!Array.isArray(parsed)) return [];
    return parsed.filter(
      (v): v is SavedView =>
        typeof v === 'object' &&
        v !== null &&
        typeof (v as SavedView).name === 'string' &&
        typeof (v as SavedView).search === 'string',
    );
  } catch {
    return [];
  }
}

function storeViews(views: SavedView[]): void {
  try {
    window.localStorage.setItem(STORAGE_KEY, JSON.stringify(views));
  } catch {
    // Storage may be unavailable (private mode); views then last for this page only.
  }
}

interface Props {
  current: () => string;
  onApply: (search: string) => void;
}

/** Saved filter sets, kept in this browser (a small list in localStorage). */
export function SavedViews({ current, onApply }: Props) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [views, setViews] = useState(loadViews);
  const [naming, setNaming] = useState(false);
  const [name, setName] = useState('');

  const save = () => {
    const trimmed = name.trim();
    if (!trimmed) return;
    const next = [
      ...views.filter((v) => v.name !== trimmed),
      { name: trimmed, search: current() },
    ].slice(-MAX_VIEWS);
    setViews(next);
    storeViews(next);
    setNaming(false);
    setName('');
    void message.success(t('tickets.views.saved'));
  };

  const remove = (viewName: string) => {
    const next = views.filter((v) => v.name !== viewName);
    setViews(next);
    storeViews(next);
  };

  const items: MenuProps['items'] = views.length
    ? views.map((view) => ({
        key: view.name,
        label: (
          <Space style={{ width: '100%', justifyContent: 'space-between' }}>
            <span>{view.name}</span>
            <DeleteOutlined
              aria-label={t('tickets.views.delete')}
              onClick={(event) => {
                event.stopPropagation();
                remove(view.name);
              }}
            />
          </Space>
        ),
        onClick: () => onApply(view.search),
      }))
    : [{ key: 'none', label: t('tickets.views.none'), disabled: true }];

  return (
    <Space.Compact>
      <Dropdown menu={{ items }} trigger={['click']}>
        <Button icon={<StarOutlined />} data-testid="saved-views">
          {t('tickets.views.title')}
        </Button>
      </Dropdown>
      <Button
        icon={<SaveOutlined />}
        onClick={() => setNaming(true)}
        aria-label={t('tickets.views.save')}
        title={t('tickets.views.save')}
      />
      <Modal
        title={t('tickets.views.save')}
        open={naming}
        onOk={save}
        onCancel={() => setNaming(false)}
        okButtonProps={{ disabled: !name.trim() }}
        okText={t('common.save')}
        cancelText={t('common.cancel')}
        destroyOnHidden
      >
        <Input
          autoFocus
          value={name}
          maxLength={40}
          placeholder={t('tickets.views.namePlaceholder')}
          onChange={(e) => setName(e.target.value)}
          onPressEnter={save}
        />
      </Modal>
    </Space.Compact>
  );
}
