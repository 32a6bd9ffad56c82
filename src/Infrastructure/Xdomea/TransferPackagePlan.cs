using ECase.Application.Scanning;
using ECase.Domain.Cases;
using ECase.Domain.Common;
using ECase.Domain.Files;
using ECase.Domain.Scanning;
using ECase.Domain.Signatures;
using ECase.Projections.FilePlans;
using Marten;
using FileState = ECase.Domain.Files.File;

namespace ECase.Infrastructure.Xdomea;

/// <summary>One HistorienProtokollInformation: who did what when, optionally which metadatum changed from what to what.</summary>
internal sealed record HistoryEntry(
    string Actor, DateTimeOffset At, string Action, string? Remark = null, string? Field = null, string? OldValue = null, string? NewValue = null);

/// <summary>One Format of a version: a stored blob under its entry name; code and version are settled when its bytes are copied.</summary>
internal sealed class PlannedFormat(string entryName, ContentRef content, string? rendition, string creator, DateTimeOffset createdAt)
{
    public string EntryName { get; } = entryName;
    public ContentRef Content { get; } = content;

    /// <summary>The rendition's format name ("PDF/A-2b"); null for the original.</summary>
    public string? Rendition { get; } = rendition;

    public string Creator { get; } = creator;
    public DateTimeOffset CreatedAt { get; } = createdAt;
    public string Code { get; set; } = TransferFormats.Other;
    public string? OtherName { get; set; }
    public string Version { get; set; } = "";
}

internal sealed record PlannedVersion(int Number, IReadOnlyList<PlannedFormat> Formats);

internal sealed record PlannedDocument(Guid Id, string Title, DateOnly? Received, IReadOnlyList<HistoryEntry> History, IReadOnlyList<PlannedVersion> Versions);

internal sealed record PlannedCase(OfferedCase Metadata, long StreamVersion, IReadOnlyList<HistoryEntry> History, IReadOnlyList<PlannedDocument> Documents);

internal sealed record PlannedFile(OfferedFile Metadata, long StreamVersion, IReadOnlyList<HistoryEntry> History, IReadOnlyList<PlannedCase> Cases);

/// <summary>
/// Reads what a 0503 says about each file from its event streams: metadata as in the 0501, the cases that are not
/// excluded, their documents with every version and the formats to transfer, and the history of each object.
/// Metadata only (O(1) per document version); no content bytes.
/// </summary>
internal static class TransferPlanner
{
    private static readonly TimeZoneInfo Agency = AgencyTimeZone();

    public static async Task<IReadOnlyList<PlannedFile>> LoadAsync(IQuerySession session, TransferSelection selection, List<string> warnings, CancellationToken ct)
    {
        var files = new List<PlannedFile>(selection.Files.Count);
        var seen = new HashSet<Guid>();
        foreach (var selected in selection.Files)
        {
            if (!seen.Add(selected.FileId)) throw new TransferPackageException("transfer-file-twice", $"File {selected.FileId} is selected twice.");
            files.Add(await FileAsync(session, selected, warnings, ct));
        }

        return files;
    }

    private static async Task<PlannedFile> FileAsync(IQuerySession session, TransferredFile selected, List<string> warnings, CancellationToken ct)
    {
        var events = await session.Events.FetchStreamAsync(selected.FileId, token: ct);
        FileState? state = null;
        DateTimeOffset opened = default;
        DateTimeOffset? closed = null;
        var history = new List<HistoryEntry>();
        var caseOrder = new List<Guid>();
        foreach (var e in events)
        {
            state = FileState.Evolve(state, e.Data);
            switch (e.Data)
            {
                case FileOpened o: opened = o.OpenedAt; break;
                case FileClosed c: closed = c.ClosedAt; break;
                case FileReopened: closed = null; break;
                case CaseAddedToFile a: caseOrder.Add(a.CaseId); break;
            }

            if (TransferHistory.OfFile(e.Data) is { } entry) history.Add(entry);
        }

        if (state is null) throw new TransferPackageException("transfer-file-unknown", $"File {selected.FileId} does not exist.");
        var plan = await session.LoadAsync<FilePlanUnitView>(state.PlanUnitId, ct)
            ?? throw new TransferPackageException("transfer-plan-unit-unknown", $"File {state.Reference}: its plan unit {state.PlanUnitCode} does not exist.");
        foreach (var unknown in selected.ExcludedCases.Where(c => !state.Cases.Contains(c)))
            warnings.Add($"File {state.Reference}: excluded case {unknown} is not a case of this file.");

        var closedOn = closed is { } c0 ? Day(c0) : (DateOnly?)null;
        // As in the 0501: the years and end fixed at closing (or the file's own rule), the plan unit's only for older events.
        var years = state.RetentionOverride?.Years ?? state.ClosedWithYears ?? plan.RetentionYears;
        var metadata = new OfferedFile(
            state.Id, state.Reference, state.Title, plan.Code, plan.Title, state.Confidentiality, years, plan.Disposal,
            Day(opened), closedOn, state.RetentionEndsOn ?? (closedOn is { } end ? RetentionEnd(end, years) : null), []);
        var cases = new List<PlannedCase>();
        foreach (var caseId in caseOrder.Where(c => !selected.ExcludedCases.Contains(c)))
            cases.Add(await CaseAsync(session, caseId, state.Reference, warnings, ct));
        return new PlannedFile(metadata, events.Count == 0 ? 0 : events[^1].Version, history, cases);
    }

    /// <summary>Retention counts from the closing (zdA) and ends with the calendar year it runs out in, as in the 0501.</summary>
    internal static DateOnly RetentionEnd(DateOnly closedOn, int years) => new(closedOn.Year + years, 12, 31);

    private sealed class DocumentHistory(Guid id)
    {
        public Guid Id { get; } = id;
        public List<HistoryEntry> History { get; } = [];
        public Dictionary<(int Version, string Format), (string Actor, DateTimeOffset At)> Renditions { get; } = [];

        /// <summary>Who added each version, with org unit (the folded state keeps only the user id).</summary>
        public Dictionary<int, string> AddedBy { get; } = [];
        public DateOnly? Received { get; set; }
    }

    private static async Task<PlannedCase> CaseAsync(IQuerySession session, Guid caseId, string reference, List<string> warnings, CancellationToken ct)
    {
        var events = await session.Events.FetchStreamAsync(caseId, token: ct);
        Case? state = null;
        DateTimeOffset opened = default;
        DateTimeOffset? closed = null;
        var history = new List<HistoryEntry>();
        var documents = new List<DocumentHistory>();
        var byId = new Dictionary<Guid, DocumentHistory>();
        var received = new Dictionary<Guid, DateTimeOffset>();
        foreach (var e in events)
        {
            var title = state?.Title;
            state = Case.Evolve(state, e.Data);
            switch (e.Data)
            {
                case CaseOpened o: opened = o.OpenedAt; break;
                case CaseClosed c: closed = c.ClosedAt; break;
                case SubmissionReceived s: received[s.SubmissionId] = s.ReceivedAt; break;
            }

            if (TransferHistory.OfCase(e.Data, title) is { } caseEntry) history.Add(caseEntry);
            if (TransferHistory.DocumentOf(e.Data) is not { } documentId) continue;
            if (!byId.TryGetValue(documentId, out var doc))
            {
                doc = new DocumentHistory(documentId);
                byId.Add(documentId, doc);
                documents.Add(doc);
            }

            if (TransferHistory.OfDocument(e.Data) is { } entry) doc.History.Add(entry);
            if (e.Data is DocumentAdded { SubmissionId: { } submission } && received.TryGetValue(submission, out var at)) doc.Received = Day(at);
            switch (e.Data)
            {
                case RenditionCreated r: doc.Renditions[(r.Version, r.Format)] = (TransferHistory.Who(r.CreatedBy), r.CreatedAt); break;
                case DocumentAdded a: doc.AddedBy[1] = TransferHistory.Who(a.AddedBy); break;
                case DocumentVersionAdded v: doc.AddedBy[v.Version] = TransferHistory.Who(v.AddedBy); break;
                case DocumentScanned s: doc.AddedBy[1] = TransferHistory.Who(s.ScannedBy); break;
            }
        }

        if (state is null) throw new TransferPackageException("transfer-case-unknown", $"File {reference}: case {caseId} does not exist.");
        var planned = new List<PlannedDocument>();
        foreach (var doc in documents)
        {
            if (!state.Documents.TryGetValue(doc.Id, out var document)) continue;
            planned.Add(new PlannedDocument(document.Id, document.Title, doc.Received, doc.History,
                [.. document.Versions.Select(v => new PlannedVersion(v.Number, Formats(document, v, doc, warnings)))]));
        }

        var metadata = new OfferedCase(state.Id, state.Title, Day(opened), state.Status == CaseStatus.Closed && closed is { } c1 ? Day(c1) : null);
        return new PlannedCase(metadata, events[^1].Version, history, planned);
    }

    /// <summary>
    /// The archival format first: the version's PDF/A rendition, then the original if its bytes differ. Without a
    /// rendition the original alone, with a warning unless it is a PDF (a born PDF/A gets no rendition, ADR 0010).
    /// </summary>
    private static List<PlannedFormat> Formats(Document document, DocumentVersion version, DocumentHistory doc, List<string> warnings)
    {
        var formats = new List<PlannedFormat>(2);
        var rendition = version.Renditions.ContainsKey(RunOcrHandler.RenditionFormat)
            ? RunOcrHandler.RenditionFormat
            : version.Renditions.Keys.Where(k => k.StartsWith("PDF/A-", StringComparison.OrdinalIgnoreCase)).Order(StringComparer.Ordinal).FirstOrDefault();
        if (rendition is not null)
        {
            var content = version.Renditions[rendition];
            var (actor, at) = doc.Renditions.GetValueOrDefault((version.Number, rendition), (version.AddedBy, version.AddedAt));
            formats.Add(new PlannedFormat(TransferFormats.EntryName(document.Id, version.Number, "archival", "pdf"), content, rendition, actor, at)
            {
                Code = TransferFormats.PdfA,
                Version = TransferFormats.PdfAVersion(rendition),
            });
            if (content.Sha256 == version.Content.Sha256) return formats;
        }
        else if (version.Content.MediaType != "application/pdf")
        {
            warnings.Add($"Document \"{document.Title}\" ({document.Id}) version {version.Number}: no PDF/A rendition; the original ({version.Content.MediaType}) is transferred alone.");
        }

        var (code, other, extension) = TransferFormats.Of(version.Content.MediaType, version.Content.FileName);
        var addedBy = doc.AddedBy.GetValueOrDefault(version.Number, version.AddedBy);
        formats.Add(new PlannedFormat(TransferFormats.EntryName(document.Id, version.Number, "original", extension), version.Content, null, addedBy, version.AddedAt)
        {
            Code = code,
            OtherName = other,
        });
        return formats;
    }

    /// <summary>Dates (Laufzeit, zdA, Eingang) are calendar days where the agency works, not in UTC.</summary>
    internal static DateOnly Day(DateTimeOffset at) => DateOnly.FromDateTime(AgencyTime(at).DateTime);

    internal static DateTimeOffset AgencyTime(DateTimeOffset at) => TimeZoneInfo.ConvertTime(at, Agency);

    private static TimeZoneInfo AgencyTimeZone()
    {
        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");
        }
        catch (TimeZoneNotFoundException)
        {
            return TimeZoneInfo.Utc;
        }
    }
}

/// <summary>The history entries (German action texts) of the events of file and case streams; unknown events have none.</summary>
internal static class TransferHistory
{
    public static string Who(Actor actor) => actor.OrgUnit.Length > 0 ? $"{actor.UserId} ({actor.OrgUnit})" : actor.UserId;

    public static HistoryEntry? OfFile(object e) => e switch
    {
        FileOpened o => new(Who(o.OpenedBy), o.OpenedAt, "Akte angelegt", $"Aktenzeichen {o.Reference}"),
        FileReclassified r => new(Who(r.ReclassifiedBy), r.ReclassifiedAt, "Akte umprotokolliert", $"Aktenplaneinheit {r.PlanUnitCode}", "Aktenzeichen", r.PreviousReference, r.Reference),
        FileClosed c => new(Who(c.ClosedBy), c.ClosedAt, "Akte zu den Akten verfügt (zdA)"),
        FileReopened r => new(Who(r.ReopenedBy), r.ReopenedAt, "Akte wieder aufgenommen", r.Reason),
        _ => null,
    };

    public static HistoryEntry? OfCase(object e, string? previousTitle) => e switch
    {
        CaseOpened o => new(Who(o.OpenedBy), o.OpenedAt, "Vorgang angelegt"),
        CaseRenamed r => new(Who(r.RenamedBy), r.RenamedAt, "Vorgang umbenannt", null, "Betreff", previousTitle, r.Title),
        CaseClosed c => new(Who(c.ClosedBy), c.ClosedAt, "Vorgang abgeschlossen"),
        SubmissionReceived s => new(Who(s.RegisteredBy), s.RegisteredAt, "Eingang registriert", $"{Channel(s.Channel)}: {s.Subject}"),
        _ => null,
    };

    public static Guid? DocumentOf(object e) => e switch
    {
        DocumentAdded d => d.DocumentId,
        DocumentVersionAdded d => d.DocumentId,
        DocumentScanned d => d.DocumentId,
        ScanQualityChecked d => d.DocumentId,
        OcrCompleted d => d.DocumentId,
        OcrFailed d => d.DocumentId,
        TextExtracted d => d.DocumentId,
        RenditionCreated d => d.DocumentId,
        SignatureVerified d => d.DocumentId,
        CoSignRequested d => d.DocumentId,
        CoSigned d => d.DocumentId,
        CoSignDeclined d => d.DocumentId,
        DocumentSignedOff d => d.DocumentId,
        _ => null,
    };

    public static HistoryEntry? OfDocument(object e) => e switch
    {
        DocumentAdded d => new(Who(d.AddedBy), d.AddedAt, "Dokument hinzugefügt (Version 1)", d.Content.FileName),
        DocumentVersionAdded d => new(Who(d.AddedBy), d.AddedAt, $"Version {d.Version} hinzugefügt", d.Content.FileName),
        DocumentScanned d => new(Who(d.ScannedBy), d.ScannedAt, "Dokument gescannt (ersetzendes Scannen)",
            $"{d.Protocol.Device}, {d.Protocol.ResolutionDpi} dpi, {d.Protocol.PageCount} Seite(n)"),
        ScanQualityChecked d => new(Who(d.RecordedBy), d.RecordedAt,
            d.Check.Accepted ? "Qualitätskontrolle des Scans bestanden" : "Qualitätskontrolle des Scans nicht bestanden", d.Check.Reason),
        OcrCompleted d => new(Who(d.CompletedBy), d.CompletedAt, $"Texterkennung abgeschlossen (Version {d.Version})"),
        OcrFailed d => new(Who(d.FailedBy), d.FailedAt, $"Texterkennung fehlgeschlagen (Version {d.Version})", d.Reason),
        TextExtracted d => new(Who(d.ExtractedBy), d.ExtractedAt, $"Text extrahiert (Version {d.Version})"),
        RenditionCreated d => new(Who(d.CreatedBy), d.CreatedAt, $"Archivformat {d.Format} erzeugt (Version {d.Version})"),
        SignatureVerified d => new(Who(d.VerifiedBy), d.VerifiedAt, $"Signatur {d.Index} geprüft (Version {d.Version}): {Outcome(d.Result.Outcome)}",
            d.Result.Level == SignatureLevel.None ? d.Result.Reason : $"Niveau {d.Result.Level}"),
        CoSignRequested d => new(Who(d.RequestedBy), d.RequestedAt, $"Mitzeichnung angefordert (Version {d.Version})", string.Join(", ", d.CoSigners)),
        CoSigned d => new(Who(d.CoSignedBy), d.CoSignedAt, $"Mitgezeichnet (Version {d.Version})", d.Comment),
        CoSignDeclined d => new(Who(d.DeclinedBy), d.DeclinedAt, $"Mitzeichnung abgelehnt (Version {d.Version})", d.Comment),
        DocumentSignedOff d => new(Who(d.SignedOffBy), d.SignedOffAt, $"Schlussgezeichnet (Version {d.Version})", d.Comment),
        _ => null,
    };

    private static string Channel(SubmissionChannel channel) => channel switch
    {
        SubmissionChannel.Paper => "Papier",
        SubmissionChannel.Email => "E-Mail",
        SubmissionChannel.OnlineForm => "Online-Formular",
        SubmissionChannel.DeMail => "De-Mail",
        SubmissionChannel.Fax => "Fax",
        _ => "sonstiger Eingangskanal",
    };

    private static string Outcome(SignatureOutcome outcome) => outcome switch
    {
        SignatureOutcome.Passed => "gültig",
        SignatureOutcome.Failed => "ungültig",
        _ => "nicht abschließend prüfbar",
    };
}
