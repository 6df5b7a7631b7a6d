import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';
import type { Locale } from './api/types';

/**
 * UI text lives in one file per area (`locales/<locale>/<area>.json`, keys under `<area>.`), so
 * features can grow their own text without editing one giant file. The browser downloads only
 * the current language, in two parts: the public pages' text first (`locales/<locale>/public.ts`),
 * the staff pages' text when a staff page first loads (`loadText('staff')`, router.tsx).
 */
export type TextGroup = 'public' | 'staff';

const bundles: Record<Locale, Record<TextGroup, () => Promise<Record<string, unknown>>>> = {
  'zh-CN': {
    public: () => import('./locales/zh-CN/public').then((m) => m.default),
    staff: () => import('./locales/zh-CN/staff').then((m) => m.default),
  },
  'en-US': {
    public: () => import('./locales/en-US/public').then((m) => m.default),
    staff: () => import('./locales/en-US/staff').then((m) => m.default),
  },
};

/** Groups the app has asked for so far (a language switch loads them in the new language). */
const wanted = new Set<TextGroup>(['public']);
const loading = new Map<string, Promise<void>>();

function loadGroup(locale: Locale, group: TextGroup): Promise<void> {
  const key = `${locale}/${group}`;
  let p = loading.get(key);
  if (!p) {
    p = bundles[locale][group]().then((areas) => {
      i18n.addResourceBundle(locale, 'translation', areas, true, true);
    });
    // A failed download (network) may be retried by the next caller.
    p.catch(() => loading.delete(key));
    loading.set(key, p);
  }
  return p;
}

/** Makes sure the text of `group` is there in the current language (and keeps it on a switch). */
export function loadText(group: TextGroup): Promise<void> {
  wanted.add(group);
  return loadGroup(currentLocale(), group);
}

export const LOCALES: readonly Locale[] = ['zh-CN', 'en-US'];
export const DEFAULT_LOCALE: Locale = 'zh-CN';
const STORAGE_KEY = 'kefu.locale';

export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (LOCALES as readonly string[]).includes(value);
}

function storedLocale(): Locale {
  try {
    const value = window.localStorage.getItem(STORAGE_KEY);
    return isLocale(value) ? value : DEFAULT_LOCALE;
  } catch {
    return DEFAULT_LOCALE;
  }
}

export function currentLocale(): Locale {
  return isLocale(i18n.language) ? i18n.language : DEFAULT_LOCALE;
}

/** Switches the UI language immediately and remembers it in this browser. */
export function setLocale(locale: Locale): void {
  try {
    window.localStorage.setItem(STORAGE_KEY, locale);
  } catch {
    // Storage may be unavailable (private mode); the switch still applies for this session.
  }
  if (i18n.language === locale) return;
  const request = ++switches;
  void Promise.all([...wanted].map((group) => loadGroup(locale, group))).then(() => {
    // Only the latest switch applies when two overlap.
    if (request === switches) void i18n.changeLanguage(locale);
  });
}
let switches = 0;

const SESSION_KEY = 'kefu.locale.session';

/**
 * The language picked in this browser session (sign-in page or header switch), if any. It wins
 * over the profile's language until the tab is closed; the profile applies otherwise.
 */
export function sessionLocale(): Locale | null {
  try {
    const value = window.sessionStorage.getItem(SESSION_KEY);
    return isLocale(value) ? value : null;
  } catch {
    return null;
  }
}

/** A language the user picked by hand: used at once and for the rest of this session. */
export function chooseLocale(locale: Locale): void {
  try {
    window.sessionStorage.setItem(SESSION_KEY, locale);
  } catch {
    // No session storage: the choice holds until the next profile answer.
  }
  setLocale(locale);
}

/** Forgets the session's pick (the profile now says the same, or the user declined to keep it). */
export function forgetSessionLocale(): void {
  try {
    window.sessionStorage.removeItem(SESSION_KEY);
  } catch {
    // nothing to forget
  }
}

i18n.on('languageChanged', (lng) => {
  document.documentElement.lang = lng;
});

void i18n.use(initReactI18next).init({
  resources: {},
  partialBundledLanguages: true,
  lng: storedLocale(),
  fallbackLng: DEFAULT_LOCALE,
  supportedLngs: LOCALES,
  interpolation: { escapeValue: false },
  // Text added later (a group loaded while a page shows) re-renders what uses it.
  react: { bindI18nStore: 'added' },
});

document.documentElement.lang = i18n.language;

/** Resolves once the public text of the first language is there: main.tsx renders after it. */
export const textReady: Promise<void> = loadText('public');

export default i18n;
