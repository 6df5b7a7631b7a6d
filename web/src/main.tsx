import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { textReady } from './i18n';
import { App } from './App';

const root = document.getElementById('root');
if (!root) throw new Error('#root element missing from index.html');

// The first language's text is a separate small download; render once it is there.
void textReady.finally(() =>
  createRoot(root).render(
    <StrictMode>
      <App />
    </StrictMode>,
  ),
);
