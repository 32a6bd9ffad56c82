// Clerk page: open requests, a request's documents, redaction boxes dragged on the rendered page, the decision.
import {
  $, el, caller, session, demoToken, demoTokensAvailable, announcer, busy, formatDate, showBlob,
  statusTexts, legalBasisTexts, refusalTexts, redactionTexts,
} from './portal.js';

const auth = session('sachbearbeitung');
const say = announcer($('#meldung'));
const call = caller(auth, () => showSignedIn());
// The open request, its file's documents, and the page on screen.
const state = { inspection: null, documents: [], document: null, page: 1, drag: null };

/** List items and details carry the summary nested as `inspection` beside citizen and file: one flat object for the page. */
const flat = item => (item?.inspection ? { ...item, ...item.inspection, inspection: undefined } : item);
const loadInspection = async id => flat(await call(`/inspections/${id}`));

const round = value => Math.round(value * 10) / 10;
const clamp01 = value => Math.min(1, Math.max(0, value));

function showSignedIn() {
  const user = auth.user;
  $('#anmeldung').hidden = Boolean(user);
  $('#bereich').hidden = !user;
  if (user) $('#benutzer').textContent = user.name;
}

async function signIn(token) {
  auth.token = token;
  showSignedIn();
  await loadList();
  say.ok(`Angemeldet als ${auth.user.name}.`);
}

async function loadList() {
  const status = $('#filter-status').value;
  const items = (await call(`/inspections${status ? `?status=${encodeURIComponent(status)}` : ''}`)).map(flat);
  $('#antraege tbody').replaceChildren(...items.map(r => el('tr', { dataset: { inspectionId: r.id } },
    el('td', {}, r.fileReference),
    el('td', {}, r.fileTitle ?? '–'),
    el('td', {}, r.citizenName ?? r.citizenId ?? '–'),
    el('td', {}, formatDate(r.requestedAt)),
    el('td', { className: 'status' }, statusTexts[r.status] ?? r.status),
    el('td', {}, el('button', { type: 'button', onclick: e => busy(say, e.currentTarget, () => openRequest(r.id)) }, 'Bearbeiten')))));
  $('#antraege').hidden = items.length === 0;
  $('#keine-antraege').hidden = items.length > 0;
}

async function openRequest(id) {
  const [inspection, documents] = await Promise.all([loadInspection(id), call(`/inspections/${id}/documents`)]);
  state.inspection = inspection;
  state.documents = documents;
  state.document = null;
  // A justification typed for another request must not go out with this one.
  $('#entscheidung-form').reset();
  $('#vorschau').checked = false;
  renderRequest();
  $('#viewer').hidden = true;
  $('#antrag').hidden = false;
  $('#antrag-titel').focus();
  say.ok(`Antrag zu ${inspection.fileReference} geöffnet: ${documents.length} Dokument(e) in der Akte.`);
}

function renderRequest() {
  const r = state.inspection;
  $('#antrag-titel').textContent = `Antrag auf Einsicht in ${r.fileReference}`;
  const rows = [
    ['Akte', r.fileTitle ?? '–'],
    ['Antragsteller/in', r.citizenName ?? r.citizenId],
    ['Rechtsgrundlage', legalBasisTexts[r.legalBasis] ?? r.legalBasis],
    ['Begründung', r.reason],
    ['Gestellt am', formatDate(r.requestedAt)],
    ['Status', statusTexts[r.status] ?? r.status],
  ];
  if (r.expiresOn) rows.push(['Einsicht bis', formatDate(r.expiresOn)]);
  if (r.refusalReason) rows.push(['Grund', refusalTexts[r.refusalReason] ?? r.refusalReason], ['Begründung der Entscheidung', r.justification ?? '–']);
  $('#antrag-details').replaceChildren(...rows.flatMap(([k, v]) => [el('dt', {}, k), el('dd', {}, v)]));

  const scope = r.scope ?? { wholeFile: false, caseIds: [], documentIds: [] };
  $('#dokumente tbody').replaceChildren(...state.documents.map(d => el('tr', {},
    el('td', {}, el('input', {
      type: 'checkbox', name: 'documentIds', value: d.documentId,
      checked: Boolean(d.inScope) || scope.documentIds?.includes(d.documentId), 'aria-label': `${d.title} freigeben`,
    })),
    el('td', {}, d.title, el('div', { className: 'hint' }, `${d.fileName}, Version ${d.version}, ${d.mediaType ?? ''}`)),
    el('td', {}, d.caseTitle ?? '–'),
    el('td', {}, String(d.pages?.length ?? 0)),
    el('td', {}, d.pages?.length
      ? el('button', { type: 'button', onclick: e => busy(say, e.currentTarget, () => openDocument(d)) }, 'Seiten ansehen und schwärzen')
      : 'keine Seitenansicht'))));
  if (scope.wholeFile || !r.scope) $('input[name=scope][value=wholeFile]').checked = true;
  else $('input[name=scope][value=documents]').checked = true;
  $('#download').checked = Boolean(r.downloadAllowed);
  $('#ablauf').value = r.expiresOn ?? defaultExpiry();

  const redactions = r.redactions ?? [];
  const titleOf = id => state.documents.find(d => d.documentId === id)?.title ?? id;
  $('#schwaerzungen tbody').replaceChildren(...redactions.map(x => el('tr', {},
    el('td', {}, titleOf(x.documentId)),
    el('td', {}, String(x.version)),
    el('td', {}, String(x.page)),
    el('td', {}, x.wholePage ? 'ganze Seite' : `x ${round(x.x)}, y ${round(x.y)}, ${round(x.width)} × ${round(x.height)}`),
    el('td', {}, redactionTexts[x.reasonCode] ?? x.reasonCode),
    el('td', {}, el('button', {
      type: 'button', 'aria-label': `Schwärzung auf Seite ${x.page} von ${titleOf(x.documentId)} entfernen`,
      onclick: e => busy(say, e.currentTarget, () => removeRedaction(x)),
    }, 'Entfernen')))));
  $('#schwaerzungen').hidden = redactions.length === 0;
}

function defaultExpiry() {
  const d = new Date();
  d.setDate(d.getDate() + 30);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

async function openDocument(doc) {
  state.document = doc;
  $('#viewer-titel').textContent = `${doc.title} (Version ${doc.version})`;
  $('#viewer').hidden = false;
  await showPage(1);
  $('#viewer-titel').focus();
}

/** Page size in PDF points, from the documents list. */
const pageSize = () => state.document.pages[state.page - 1];

async function showPage(page) {
  const doc = state.document;
  const total = doc.pages.length;
  const redacted = $('#vorschau').checked;
  const blob = await call(
    `/inspections/${state.inspection.id}/documents/${doc.documentId}/versions/${doc.version}/pages/${page}?redacted=${redacted}`, { as: 'blob' });
  const img = $('#seite-bild');
  await showBlob(img, blob);
  state.page = page;
  img.alt = `Seite ${page} von ${total} des Dokuments „${doc.title}“${redacted ? ', geschwärzt wie für die Antragstellerin / den Antragsteller' : ''}`;
  $('#seite-anzeige').textContent = `Seite ${page} von ${total}`;
  $('#seite-zurueck').disabled = page <= 1;
  $('#seite-vor').disabled = page >= total;
  clearFields();
  drawBoxes();
  say.ok(`${doc.title}: Seite ${page} von ${total}.`);
}

/** A box in PDF points (origin bottom left) as CSS percentages of the page image (origin top left). */
function placeBox(node, box) {
  const { width: w, height: h } = pageSize();
  node.style.left = `${(box.x / w) * 100}%`;
  node.style.top = `${((h - box.y - box.height) / h) * 100}%`;
  node.style.width = `${(box.width / w) * 100}%`;
  node.style.height = `${(box.height / h) * 100}%`;
  return node;
}

function drawBoxes() {
  const doc = state.document;
  // The preview has the saved boxes burnt in already; marking them again would hide what the citizen sees.
  const saved = $('#vorschau').checked ? [] : (state.inspection.redactions ?? [])
    .filter(r => r.documentId === doc.documentId && r.version === doc.version && r.page === state.page)
    .map(r => r.wholePage ? { ...r, x: 0, y: 0, width: pageSize().width, height: pageSize().height } : r)
    .map(r => placeBox(el('div', { className: 'box gespeichert', title: redactionTexts[r.reasonCode] ?? '' }), r));
  const pending = readFields();
  const boxes = pending ? [...saved, placeBox(el('div', { className: 'box neu', id: 'neue-box' }), pending)] : saved;
  $('#boxen').replaceChildren(...boxes);
}

function readFields() {
  const values = ['#box-x', '#box-y', '#box-breite', '#box-hoehe'].map(id => $(id).valueAsNumber);
  if (values.some(Number.isNaN)) return null;
  const [x, y, width, height] = values;
  return width > 0 && height > 0 ? { x, y, width, height } : null;
}

function clearFields() {
  for (const id of ['#box-x', '#box-y', '#box-breite', '#box-hoehe']) $(id).value = '';
  $('#ganze-seite').checked = false;
}

/** Pointer position as a fraction of the page image (0..1 from the top left). */
function fraction(event) {
  const rect = $('#seite-bild').getBoundingClientRect();
  return { fx: clamp01((event.clientX - rect.left) / rect.width), fy: clamp01((event.clientY - rect.top) / rect.height) };
}

/** The dragged rectangle (image fractions, origin top left) in PDF points (origin bottom left). */
function toPoints(a, b) {
  const { width: w, height: h } = pageSize();
  const [left, right] = [Math.min(a.fx, b.fx), Math.max(a.fx, b.fx)];
  const [top, bottom] = [Math.min(a.fy, b.fy), Math.max(a.fy, b.fy)];
  return { x: round(left * w), y: round((1 - bottom) * h), width: round((right - left) * w), height: round((bottom - top) * h) };
}

function setFields(box) {
  $('#box-x').value = box.x;
  $('#box-y').value = box.y;
  $('#box-breite').value = box.width;
  $('#box-hoehe').value = box.height;
  drawBoxes();
}

const frame = $('#seite-rahmen');
frame.addEventListener('pointerdown', e => {
  if (e.button !== 0 || !state.document) return;
  e.preventDefault();
  frame.setPointerCapture(e.pointerId);
  state.drag = fraction(e);
  $('#ganze-seite').checked = false;
});
frame.addEventListener('pointermove', e => {
  if (state.drag) setFields(toPoints(state.drag, fraction(e)));
});
frame.addEventListener('pointerup', e => {
  if (!state.drag) return;
  const box = toPoints(state.drag, fraction(e));
  state.drag = null;
  if (box.width < 1 || box.height < 1) { clearFields(); drawBoxes(); return; }
  setFields(box);
  say.ok(`Bereich gewählt: x ${box.x}, y ${box.y}, Breite ${box.width}, Höhe ${box.height} Punkte. Grund wählen und speichern.`);
});
frame.addEventListener('pointercancel', () => { state.drag = null; });

async function saveRedaction() {
  const doc = state.document;
  const whole = $('#ganze-seite').checked;
  const box = whole ? { x: 0, y: 0, ...pageSize() } : readFields();
  if (!box) throw new Error('Bitte ziehen Sie zuerst ein Rechteck auf der Seite oder geben Sie den Bereich ein.');
  const body = {
    documentId: doc.documentId, documentVersion: doc.version, page: state.page,
    x: box.x, y: box.y, width: box.width, height: box.height, wholePage: whole, reasonCode: $('#box-grund').value,
  };
  await call(`/inspections/${state.inspection.id}/redactions`, { method: 'POST', body });
  state.inspection = await loadInspection(state.inspection.id);
  renderRequest();
  clearFields();
  drawBoxes();
  say.ok(`Schwärzung gespeichert (Seite ${state.page}, ${redactionTexts[body.reasonCode]}).`);
}

async function removeRedaction(x) {
  await call(`/inspections/${state.inspection.id}/redactions/${x.redactionId}`, { method: 'DELETE' });
  state.inspection = await loadInspection(state.inspection.id);
  renderRequest();
  if (state.document) drawBoxes();
  say.ok(`Schwärzung auf Seite ${x.page} entfernt.`);
}

async function decide(action) {
  const id = state.inspection.id;
  const form = new FormData($('#entscheidung-form'));
  const wholeFile = form.get('scope') === 'wholeFile';
  const documentIds = wholeFile ? [] : [...document.querySelectorAll('#dokumente input[name=documentIds]:checked')].map(x => x.value);
  const grant = { wholeFile, caseIds: [], documentIds, expiresOn: form.get('expiresOn'), downloadAllowed: form.get('downloadAllowed') === 'on' };
  const reasoned = { reasonCode: form.get('reasonCode'), justification: form.get('justification').trim() };
  const requests = {
    grant: [grant, 'Einsicht gewährt'],
    'grant-in-part': [{ ...grant, ...reasoned }, 'Einsicht teilweise gewährt'],
    refuse: [reasoned, 'Antrag abgelehnt'],
    withdraw: [{ reason: reasoned.justification || null }, 'Einsicht widerrufen'],
  };
  const [body, done] = requests[action];
  await call(`/inspections/${id}/${action}`, { method: 'POST', body });
  state.inspection = await loadInspection(id);
  renderRequest();
  await loadList();
  say.ok(`${done}: ${state.inspection.fileReference} (${statusTexts[state.inspection.status] ?? state.inspection.status}).`);
}

$('#demo-form').addEventListener('submit', e => {
  e.preventDefault();
  busy(say, e.submitter, async () => {
    const token = await demoToken($('#demo-benutzer').value);
    if (!token) throw new Error('Auf diesem Server gibt es keine Demo-Anmeldung.');
    await signIn(token);
  });
});
$('#token-form').addEventListener('submit', e => {
  e.preventDefault();
  busy(say, e.submitter, () => signIn($('#token').value.trim()));
});
$('#logout').addEventListener('click', () => {
  auth.token = null;
  $('#antrag').hidden = true;
  showSignedIn();
  say.ok('Sie sind abgemeldet.');
});
$('#filter-form').addEventListener('submit', e => {
  e.preventDefault();
  busy(say, e.submitter, async () => { await loadList(); say.ok('Liste aktualisiert.'); });
});
// showPage sets these buttons' disabled state itself (first and last page).
$('#seite-zurueck').addEventListener('click', () => busy(say, null, () => showPage(state.page - 1)));
$('#seite-vor').addEventListener('click', () => busy(say, null, () => showPage(state.page + 1)));
$('#vorschau').addEventListener('change', () => busy(say, null, () => showPage(state.page)));
for (const id of ['#box-x', '#box-y', '#box-breite', '#box-hoehe']) $(id).addEventListener('input', () => drawBoxes());
$('#schwaerzung-form').addEventListener('submit', e => {
  e.preventDefault();
  busy(say, e.submitter, saveRedaction);
});
$('#entscheidung-form').addEventListener('submit', e => {
  e.preventDefault();
  busy(say, e.submitter, () => decide(e.submitter.value));
});

$('#demo-form').hidden = !(await demoTokensAvailable());
showSignedIn();
if (auth.token) await busy(say, null, loadList);
