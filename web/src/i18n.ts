import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';
import type { Locale } from './api/types';

/**
 * UI text lives in one file per area (`locales/<locale>/<area>.json`, keys under `<area>.`), so
 * features can grow their own text without editing one giant file.
 */
const localeFiles = import.meta.glob<Record<string, unknown>>('./locales/*/*.json', {
  eager: true,
  import: 'default',
});

function resourcesOf(locale: Locale): Record<string, unknown> {
  const resources: Record<string, unknown> = {};
  for (const [path, content] of Object.entries(localeFiles)) {
    const match = /\.\/locales\/([^/]+)\/([^/]+)\.json$/.exec(path);
    if (match && match[1] === locale) resources[match[2]!] = content;
  }
  return resources;
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
  if (i18n.language !== locale) void i18n.changeLanguage(locale);
}

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
  resources: {
    'zh-CN': { translation: resourcesOf('zh-CN') },
    'en-US': { translation: resourcesOf('en-US') },
  },
  lng: storedLocale(),
  fallbackLng: DEFAULT_LOCALE,
  supportedLngs: LOCALES,
  interpolation: { escapeValue: false },
});

document.documentElement.lang = i18n.language;

export default i18n;
