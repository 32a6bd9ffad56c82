// Citizen page: sign in, request an inspection, see the requests, view granted documents page by page, access history.
import {
  $, el, caller, session, demoToken, demoTokensAvailable, announcer, busy, formatDate, showBlob, saveBlob,
  statusTexts, legalBasisTexts, refusalTexts,
} from './portal.js';

const auth = session('buerger');
const say = announcer($('#meldung'));
const call = caller(auth, () => showSignedIn());
const viewer = { inspection: null, document: null, page: 1 };

function showSignedIn() {
  const user = auth.user;
  $('#anmeldung').hidden = Boolean(user);
  $('#bereich').hidden = !user;
  if (user) $('#benutzer').textContent = user.name;
}

async function signIn(token) {
  auth.token = token;
  showSignedIn();
  await loadRequests();
  say.ok(`Angemeldet als ${auth.user.name}.`);
}

function signOut() {
  auth.token = null;
  $('#einsicht').hidden = true;
  showSignedIn();
  say.ok('Sie sind abgemeldet.');
}

async function loadRequests() {
  const requests = await call('/citizen/inspections');
  const body = $('#antraege tbody');
  body.replaceChildren(...requests.map(r => {
    const open = r.status === 'Granted' || r.status === 'PartlyGranted';
    const actions = el('td');
    if (open) actions.append(el('button', { type: 'button', onclick: e => busy(say, e.currentTarget, () => openInspection(r.id)) }, 'Einsicht öffnen'));
    if (r.status === 'Requested' || open)
      actions.append(el('button', { type: 'button', className: 'secondary', onclick: e => busy(say, e.currentTarget, () => withdraw(r)) }, 'Zurückziehen'));
    return el('tr', { dataset: { inspectionId: r.id } },
      el('td', {}, r.fileReference),
      el('td', {}, formatDate(r.requestedAt)),
      el('td', { className: 'status' }, statusTexts[r.status] ?? r.status,
        r.status === 'Refused' && r.refusalReason ? el('div', { className: 'hint' }, `Grund: ${refusalTexts[r.refusalReason] ?? r.refusalReason}`) : null),
      el('td', {}, formatDate(r.expiresOn)),
      actions);
  }));
  $('#antraege').hidden = requests.length === 0;
  $('#keine-antraege').hidden = requests.length > 0;
}

async function withdraw(request) {
  await call(`/citizen/inspections/${request.id}/withdraw`, { method: 'POST', body: {} });
  if (viewer.inspection?.id === request.id) $('#einsicht').hidden = true;
  await loadRequests();
  say.ok(`Ihr Antrag zu ${request.fileReference} ist zurückgezogen.`);
}

async function openInspection(id) {
  const [inspection, documents] = await Promise.all([call(`/citizen/inspections/${id}`), call(`/citizen/inspections/${id}/documents`)]);
  viewer.inspection = inspection;
  $('#einsicht-titel').textContent = `Einsicht in die Akte ${inspection.fileReference}`;
  const details = [
    ['Status', statusTexts[inspection.status] ?? inspection.status],
    ['Einsicht bis', formatDate(inspection.expiresOn)],
    ['Herunterladen', inspection.downloadAllowed ? 'erlaubt' : 'nicht erlaubt (nur Ansicht im Browser)'],
  ];
  if (inspection.status === 'PartlyGranted') {
    details.push(['Nicht freigegeben wegen', refusalTexts[inspection.refusalReason] ?? inspection.refusalReason ?? '–']);
    details.push(['Begründung', inspection.justification ?? '–']);
  }
  $('#einsicht-details').replaceChildren(...details.flatMap(([k, v]) => [el('dt', {}, k), el('dd', {}, v)]));
  $('#dokumente tbody').replaceChildren(...documents.map(d => el('tr', {},
    el('td', {}, d.title, el('div', { className: 'hint' }, `${d.fileName}, Version ${d.version}`)),
    el('td', {}, d.caseTitle ?? '–'),
    el('td', {}, String(d.pages)),
    el('td', {}, d.pages > 0
      ? el('button', { type: 'button', onclick: e => busy(say, e.currentTarget, () => openDocument(d)) }, 'Ansehen')
      : 'keine Seitenansicht'))));
  $('#viewer').hidden = true;
  $('#einsicht').hidden = false;
  $('#einsicht-titel').focus();
  say.ok(`${documents.length} Dokument(e) freigegeben.`);
}

async function openDocument(doc) {
  viewer.document = doc;
  $('#viewer-titel').textContent = doc.title;
  $('#herunterladen').hidden = !viewer.inspection.downloadAllowed;
  $('#viewer').hidden = false;
  await showPage(1);
  $('#viewer-titel').focus();
}

async function showPage(page) {
  const { inspection, document: doc } = viewer;
  const total = doc.pages;
  const img = $('#seite-bild');
  const blob = await call(`/citizen/inspections/${inspection.id}/documents/${doc.documentId}/pages/${page}`, { as: 'blob' });
  await showBlob(img, blob);
  viewer.page = page;
  const withheld = (doc.withheldPages ?? []).includes(page);
  img.alt = `Seite ${page} von ${total} des Dokuments „${doc.title}“${withheld ? ' (zurückgehalten)' : ''}; geschwärzte Stellen sind schwarz.`;
  $('#seite-anzeige').textContent = `Seite ${page} von ${total}`;
  $('#seite-zurueckgehalten').hidden = !withheld;
  $('#seite-zurueck').disabled = page <= 1;
  $('#seite-vor').disabled = page >= total;
  say.ok(`${doc.title}: Seite ${page} von ${total}.`);
}

async function download() {
  const { inspection, document: doc } = viewer;
  const blob = await call(`/citizen/inspections/${inspection.id}/documents/${doc.documentId}/download`, { as: 'blob' });
  saveBlob(blob, doc.fileName?.toLowerCase().endsWith('.pdf') ? doc.fileName : `${doc.title}.pdf`);
  say.ok(`${doc.title} wurde heruntergeladen.`);
}

async function loadHistory() {
  const records = await call('/citizen/access-history');
  $('#protokoll tbody').replaceChildren(...records.map(r => el('tr', {},
    el('td', {}, formatDate(r.at)),
    el('td', {}, r.fileReference),
    el('td', {}, `${r.title} (Version ${r.version})`),
    el('td', {}, r.download ? 'Download' : `Seite ${r.page}`))));
  $('#protokoll').hidden = false;
  say.ok(records.length === 0 ? 'Noch keine Zugriffe.' : `${records.length} Zugriff(e).`);
}

$('#demo-login').addEventListener('click', e => busy(say, e.currentTarget, async () => {
  const token = await demoToken('citizen');
  if (!token) throw new Error('Auf diesem Server gibt es keine Demo-Anmeldung.');
  await signIn(token);
}));
$('#token-form').addEventListener('submit', e => {
  e.preventDefault();
  busy(say, e.submitter, () => signIn($('#token').value.trim()));
});
$('#logout').addEventListener('click', signOut);
$('#antrag-form').addEventListener('submit', e => {
  e.preventDefault();
  const form = new FormData(e.currentTarget);
  const target = e.currentTarget;
  busy(say, e.submitter, async () => {
    const body = { fileReference: form.get('fileReference').trim(), reason: form.get('reason').trim(), legalBasis: form.get('legalBasis') };
    await call('/citizen/inspections', { method: 'POST', body });
    target.reset();
    await loadRequests();
    say.ok(`Ihr Antrag auf Einsicht in die Akte ${body.fileReference} (${legalBasisTexts[body.legalBasis]}) ist gestellt.`);
  });
});
$('#antraege-laden').addEventListener('click', e => busy(say, e.currentTarget, async () => { await loadRequests(); say.ok('Liste aktualisiert.'); }));
// showPage sets these buttons' disabled state itself (first and last page).
$('#seite-zurueck').addEventListener('click', () => busy(say, null, () => showPage(viewer.page - 1)));
$('#seite-vor').addEventListener('click', () => busy(say, null, () => showPage(viewer.page + 1)));
$('#herunterladen').addEventListener('click', e => busy(say, e.currentTarget, download));
$('#protokoll-laden').addEventListener('click', e => busy(say, e.currentTarget, loadHistory));

$('#demo-anmeldung').hidden = !(await demoTokensAvailable());
showSignedIn();
if (auth.token) await busy(say, null, loadRequests);
