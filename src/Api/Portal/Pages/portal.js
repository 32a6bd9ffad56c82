// Shared by the citizen page and the clerk page: the token in sessionStorage, API calls, messages in German.

const problemTexts = {
  'unauthorized': 'Bitte melden Sie sich (erneut) an.',
  'forbidden': 'Mit Ihrer Anmeldung dürfen Sie das nicht.',
  'not-found': 'Nicht gefunden.',
  'inspection-unknown': 'Diesen Antrag gibt es nicht (oder er gehört nicht zu Ihrer Anmeldung).',
  'inspection-file-unknown': 'Zu diesem Aktenzeichen gibt es keine Akte.',
  'inspection-reason-required': 'Bitte begründen Sie Ihren Antrag.',
  'inspection-justification-required': 'Eine vollständige oder teilweise Ablehnung braucht eine Begründung.',
  'inspection-scope-empty': 'Bitte geben Sie die ganze Akte oder mindestens ein Dokument frei.',
  'inspection-scope-unknown': 'Der Umfang nennt Vorgänge oder Dokumente, die nicht zu dieser Akte gehören.',
  'inspection-expiry-invalid': 'Das Datum „Einsicht bis“ darf nicht in der Vergangenheit liegen.',
  'inspection-not-pending': 'Der Antrag ist bereits entschieden, zurückgezogen oder abgelaufen.',
  'inspection-not-open': 'Die Einsicht ist nicht (mehr) freigegeben.',
  'inspection-out-of-scope': 'Dieses Dokument gehört nicht zur freigegebenen Einsicht.',
  'inspection-download-not-allowed': 'Das Herunterladen wurde nicht erlaubt. Sie können die Seiten im Browser ansehen.',
  'inspection-closed': 'Der Antrag wurde abgelehnt, zurückgezogen oder ist abgelaufen.',
  'inspection-page-invalid': 'Diese Seite gibt es nicht.',
  'redaction-area-invalid': 'Die Schwärzung braucht eine Seite ab 1 und ein Rechteck positiver Größe.',
  'redaction-page-invalid': 'Diese Seite hat das Dokument nicht.',
  'demo-user-unknown': 'Diesen Demo-Benutzer gibt es nicht.',
};

export const statusTexts = {
  Requested: 'Beantragt', Granted: 'Gewährt', PartlyGranted: 'Teilweise gewährt',
  Refused: 'Abgelehnt', Expired: 'Abgelaufen', Withdrawn: 'Zurückgezogen', Closed: 'Beendet – Akte ausgesondert',
};

export const legalBasisTexts = {
  Participant: 'Beteiligte/r im Verfahren (§ 29 VwVfG)', FreedomOfInformation: 'Informationsfreiheitsgesetz (IFG)',
};

export const refusalTexts = {
  NotParticipant: 'Nicht am Verfahren beteiligt', ProcedureOngoing: 'Verfahren noch nicht abgeschlossen',
  ThirdPartyRights: 'Rechte Dritter', BusinessSecret: 'Betriebs- oder Geschäftsgeheimnis',
  PublicInterest: 'Öffentliches Interesse', Other: 'Sonstiger Grund',
};

export const redactionTexts = {
  ThirdPartyPersonalData: 'Personenbezogene Daten Dritter', BusinessSecret: 'Betriebs- oder Geschäftsgeheimnis',
  Draft: 'Entwurf', Other: 'Sonstiger Grund',
};

export class ApiError extends Error {
  constructor(message, status, code) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

/** Token per page (the citizen and the clerk may be signed in side by side in two tabs). */
export function session(key) {
  const storageKey = `ecase.token.${key}`;
  return {
    get token() { return sessionStorage.getItem(storageKey); },
    set token(value) { value ? sessionStorage.setItem(storageKey, value) : sessionStorage.removeItem(storageKey); },
    /** Name and subject from the token, for display only: the API checks the token itself. */
    get user() {
      const token = this.token;
      if (!token) return null;
      try {
        const payload = token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
        const json = new TextDecoder().decode(Uint8Array.from(atob(payload), c => c.charCodeAt(0)));
        const claims = JSON.parse(json);
        return { id: claims.sub, name: claims.name ?? claims.sub, role: claims.role };
      } catch {
        return { id: '?', name: 'unbekannt', role: undefined };
      }
    },
  };
}

async function problemMessage(response) {
  let problem = {};
  try { problem = await response.json(); } catch { /* not a problem body */ }
  const code = problem.code ?? (typeof problem.type === 'string' ? problem.type.split('/').pop() : '');
  const parts = [problemTexts[code] ?? problem.title ?? `Fehler ${response.status}`];
  if (problem.detail) parts.push(problem.detail);
  if (problem.errors) parts.push(Object.entries(problem.errors).map(([field, msgs]) => `${field}: ${[].concat(msgs).join(' ')}`).join('; '));
  return new ApiError(parts.join(' – '), response.status, code);
}

/** Calls /api{path}; JSON in and out; a problem response becomes an ApiError with a German message. */
export async function api(token, path, { method = 'GET', body, as = 'json' } = {}) {
  const headers = {};
  if (token) headers.Authorization = `Bearer ${token}`;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (as === 'json') headers.Accept = 'application/json';
  const response = await fetch(`/api${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  if (!response.ok) throw await problemMessage(response);
  if (as === 'blob') return response.blob();
  if (response.status === 204) return null;
  const text = await response.text();
  return text ? JSON.parse(text) : null;
}

/** A development token for a demo user, or null when the server has no development issuer. */
export async function demoToken(user) {
  const response = await fetch(`/api/dev/tokens/${encodeURIComponent(user)}`, { headers: { Accept: 'application/json' } });
  if (!response.ok) {
    const error = await problemMessage(response);
    if (response.status === 404 && error.code !== 'demo-user-unknown') return null;
    throw error;
  }
  const body = await response.json();
  return body.accessToken ?? body.token ?? null;
}

/** Whether the development token endpoint exists (it is mapped only when enabled). */
export async function demoTokensAvailable() {
  try {
    return (await fetch('/api/dev/tokens', { headers: { Accept: 'application/json' } })).ok;
  } catch {
    return false;
  }
}

/** The one aria-live region of a page. */
export function announcer(element) {
  return {
    ok(text) { element.className = 'ok'; element.textContent = text; },
    error(err) { element.className = 'fehler'; element.textContent = `Fehler: ${err instanceof Error ? err.message : err}`; },
    clear() { element.className = ''; element.textContent = ''; },
  };
}

export const $ = (selector, root = document) => root.querySelector(selector);

/** api() with the session's token; an expired or wrong token signs the user out, so that the sign-in form comes back. */
export function caller(auth, onSignedOut) {
  return async (path, options) => {
    try {
      return await api(auth.token, path, options);
    } catch (err) {
      if (err.status === 401) {
        auth.token = null;
        onSignedOut();
      }
      throw err;
    }
  };
}

/** Builds an element: el('td', { className: 'x' }, 'text', child). */
export function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (key === 'dataset') Object.assign(node.dataset, value);
    else if (key.startsWith('on')) node.addEventListener(key.slice(2), value);
    else if (key in node) node[key] = value;
    else node.setAttribute(key, value);
  }
  for (const child of children.flat()) if (child !== null && child !== undefined) node.append(child);
  return node;
}

export function formatDate(value) {
  if (!value) return '–';
  // Dates without time (yyyy-MM-dd) are calendar days, not instants: no time zone shift.
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) {
    const [y, m, d] = value.split('-');
    return `${d}.${m}.${y}`;
  }
  return new Date(value).toLocaleString('de-DE', { dateStyle: 'medium', timeStyle: 'short' });
}

/** Runs an async action; its error goes to the live region. Disables the button while it runs. */
export async function busy(say, button, action) {
  if (button) button.disabled = true;
  try {
    return await action();
  } catch (err) {
    say.error(err);
    return undefined;
  } finally {
    if (button) button.disabled = false;
  }
}

/** Keeps one blob: URL per image element alive, revoking the previous one. */
export function showBlob(img, blob) {
  if (img.dataset.blobUrl) URL.revokeObjectURL(img.dataset.blobUrl);
  const url = URL.createObjectURL(blob);
  img.dataset.blobUrl = url;
  img.src = url;
  return new Promise((resolve, reject) => {
    if (img.complete && img.naturalWidth > 0 && img.src === url) { resolve(); return; }
    img.onload = () => resolve();
    img.onerror = () => reject(new Error('Das Seitenbild konnte nicht angezeigt werden.'));
  });
}

export function saveBlob(blob, fileName) {
  const url = URL.createObjectURL(blob);
  const link = el('a', { href: url, download: fileName });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
