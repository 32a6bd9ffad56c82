using System.Globalization;
using System.IO;
using System.Text;
using ECase.Application.Disposal;

namespace ECase.Infrastructure.Pdf;

/// <summary>
/// The disposal certificate (Nachweis über die Aussonderung und Vernichtung) as PDF/A-2b on A4 (ADR 0017): the process and
/// its order, the files disposed of with their whereabouts and archive references, the files held back with their reason,
/// totals, and the statement that the metadata needed as proof is kept. DejaVu Sans, tables continued over as many pages as
/// needed with their header repeated, "Seite n von m" on every page. The document's date is the time of destruction, so equal
/// data give equal bytes. Stateless and thread-safe; register as a singleton.
/// </summary>
public sealed class DisposalCertificateWriter : IDisposalCertificateWriter
{
    public const string Title = "Nachweis über die Aussonderung und Vernichtung";
    public const string CreatorTool = "ECase Aussonderung";

    private const double PageWidth = 595.276, PageHeight = 841.89; // A4
    private const double Left = 42.52, Right = PageWidth - 42.52, Top = PageHeight - 48, Bottom = 56; // 1.5 cm sides
    private const double BodySize = 9, TableSize = 7.5, SmallSize = 6.5, Pad = 2.5;
    private const int MaxText = 400;

    private static readonly Column[] EntryColumns =
    [
        new("Nr.", 22, Align.Right),
        new("Aktenzeichen", 78, Align.Left),
        new("Betreff / Akten-ID", 146, Align.Left), // a file id (36 characters at 6.5 pt) fits on one line
        new("Verbleib", 66, Align.Left),
        new("Archivsignatur / Archivkennung", 76, Align.Left),
        new("Dok.", 28, Align.Right),
        new("Dateien", 36, Align.Right),
        new("Bytes", 58.236, Align.Right),
    ];

    private static readonly Column[] SkippedColumns =
    [
        EntryColumns[0], EntryColumns[1], EntryColumns[2],
        new("Grund des Zurückhaltens", 142, Align.Left),
        EntryColumns[5], EntryColumns[6], EntryColumns[7],
    ];

    private enum Align
    {
        Left,
        Right,
    }

    private sealed record Column(string Header, double Width, Align Align);

    /// <summary>A table cell: lines of text, each with its size and gray level.</summary>
    private sealed record Cell(IReadOnlyList<(string Text, double Size, double Gray)> Lines);

    public void Write(DisposalCertificateData data, Stream output)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(output);
        var entries = data.Entries ?? [];
        var skipped = data.Skipped ?? [];
        var metadata = DocumentMetadata.Create(
            Title, data.Authority,
            $"Aussonderung {data.ProcessId:D}: {Files(entries.Count)} an {data.Archive} übergeben oder vernichtet, {skipped.Count} zurückgehalten",
            data.DestroyedAt, CreatorTool, ArchivalRenditions.Producer);

        var pdf = new PdfAComposer(output, metadata);
        var layout = new Layout(pdf.AddFont(DejaVu.Sans));

        layout.Paragraph(Title, 15, gray: 0, after: 2);
        layout.Paragraph("Vernichtungsprotokoll / Löschnachweis", BodySize, gray: 0.35, after: 10);
        var fields = new List<(string, string)>
        {
            ("Aussonderungsvorgang", data.ProcessId.ToString("D")),
            ("Behörde", Clean(data.Authority)),
            ("Archiv", Clean(data.Archive)),
            ("Angeordnet von", Clean(data.OrderedBy)),
            ("Angeordnet am", Date(data.OrderedAt)),
            ("Vernichtet am", Date(data.DestroyedAt)),
        };
        if (!string.IsNullOrWhiteSpace(data.Note))
            fields.Add(("Bemerkung", Clean(data.Note)));
        layout.Fields(fields);

        layout.Heading($"Ausgesonderte Akten ({Count(entries.Count)})");
        if (entries.Count == 0)
            layout.Paragraph("Keine.", BodySize, 0, 4);
        else
            layout.Table(EntryColumns, entries.Select((e, i) => new[]
            {
                Plain((i + 1).ToString(CultureInfo.InvariantCulture)), Plain(e.Reference), Subject(e), Plain(e.Disposition),
                Plain(e.ArchiveReference ?? "–"), Plain(Count(e.Documents)), Plain(Count(e.Blobs)), Plain(Count(e.Bytes)),
            }));
        layout.Paragraph(Totals("Summe", entries), BodySize, 0, 2);
        foreach (var group in entries.GroupBy(e => Clean(e.Disposition)))
            layout.Paragraph($"davon {group.Key}: {Files(group.Count())}, {Documents(group.Sum(e => (long)e.Documents))}, {Count(group.Sum(e => e.Bytes))} Bytes",
                BodySize, 0.2, 1);

        layout.Space(8);
        layout.Heading($"Zurückgehaltene Akten ({Count(skipped.Count)})");
        if (skipped.Count == 0)
            layout.Paragraph("Keine.", BodySize, 0, 4);
        else
        {
            layout.Table(SkippedColumns, skipped.Select((e, i) => new[]
            {
                Plain((i + 1).ToString(CultureInfo.InvariantCulture)), Plain(e.Reference), Subject(e), Plain(e.Disposition),
                Plain(Count(e.Documents)), Plain(Count(e.Blobs)), Plain(Count(e.Bytes)),
            }));
            layout.Paragraph(Totals("Summe der zurückgehaltenen Akten", skipped) + "; sie bleiben unverändert im Bestand.", BodySize, 0, 2);
        }

        layout.Space(10);
        layout.Paragraph(
            $"Die Inhalte (Dokumente und Dateien) der ausgesonderten Akten wurden am {Date(data.DestroyedAt)} im Bestand der Behörde gelöscht; " +
            "an das Archiv übergebene Akten sind dort unter der angegebenen Archivsignatur bzw. Archivkennung nachgewiesen. " +
            "Die zum Nachweis der Aussonderung erforderlichen Metadaten (Aktenzeichen, Betreff, Akten-ID, Verbleib, Archivkennung, " +
            "Anordnung und Zeitpunkte) sowie dieser Nachweis werden aufbewahrt.",
            BodySize, 0, 0);

        var footer = $"Aussonderung {data.ProcessId:D}";
        for (var i = 0; i < layout.Pages.Count; i++)
        {
            var page = layout.Pages[i];
            var number = $"Seite {i + 1} von {layout.Pages.Count}";
            page.Line(Left, Bottom - 14, Right, Bottom - 14, 0.4, 0.6);
            page.Text(layout.Font, SmallSize + 0.5, Left, Bottom - 24, footer, 0.35);
            page.Text(layout.Font, SmallSize + 0.5, Right - layout.Font.Width(number, SmallSize + 0.5), Bottom - 24, number, 0.35);
            pdf.AddPage(PageWidth, PageHeight, page);
        }
        pdf.Finish();
    }

    private static Cell Plain(string text) => new([(Clean(text), TableSize, 0)]);

    private static Cell Subject(CertificateEntry e) => new([(Clean(e.Title), TableSize, 0), (e.FileId.ToString("D"), SmallSize, 0.35)]);

    private static string Totals(string label, IReadOnlyList<CertificateEntry> list) =>
        $"{label}: {Files(list.Count)}, {Documents(list.Sum(e => (long)e.Documents))}, " +
        $"{Count(list.Sum(e => (long)e.Blobs))} {(list.Sum(e => (long)e.Blobs) == 1 ? "Datei" : "Dateien")}, {Count(list.Sum(e => e.Bytes))} Bytes";

    private static string Files(long n) => $"{Count(n)} {(n == 1 ? "Akte" : "Akten")}";

    private static string Documents(long n) => $"{Count(n)} {(n == 1 ? "Dokument" : "Dokumente")}";

    /// <summary>German digit grouping (1.234.567) without depending on the culture data installed.</summary>
    private static string Count(long value) => value.ToString("N0", CultureInfo.InvariantCulture).Replace(',', '.');

    /// <summary>The instant in the offset it was recorded with: 29.11.2026, 14:30:05 Uhr (UTC+01:00).</summary>
    private static string Date(DateTimeOffset value)
    {
        var offset = value.Offset;
        var sign = offset < TimeSpan.Zero ? '-' : '+';
        return string.Create(CultureInfo.InvariantCulture,
            $"{value:dd.MM.yyyy, HH:mm:ss} Uhr (UTC{sign}{offset.Duration():hh\\:mm})");
    }

    /// <summary>
    /// One line of text: control characters and line breaks become spaces, NFC, at most <see cref="MaxText"/> characters
    /// (a row must fit on a page; the full metadata is kept in the event log).
    /// </summary>
    private static string Clean(string? text)
    {
        if (string.IsNullOrEmpty(text))
            return "";
        var sb = new StringBuilder(Math.Min(text.Length, MaxText + 1));
        foreach (var rune in text.EnumerateRunes())
        {
            if (sb.Length >= MaxText)
            {
                sb.Append('…');
                break;
            }
            sb.Append(Rune.IsControl(rune) || rune.Value is 0x2028 or 0x2029 ? " " : rune.ToString());
        }
        return sb.ToString().Trim().Normalize(NormalizationForm.FormC);
    }

    /// <summary>Flows paragraphs, fields and tables down the pages, opening a new page when the next block does not fit.</summary>
    private sealed class Layout(EmbeddedFont font)
    {
        private double _y = Top;

        public EmbeddedFont Font { get; } = font;
        public List<PageContent> Pages { get; } = [new PageContent()];
        private PageContent Page => Pages[^1];

        public void Space(double points) => _y -= points;

        public void Paragraph(string text, double size, double gray, double after)
        {
            foreach (var line in Wrap(text, size, Right - Left))
            {
                Need(size * 1.3);
                _y -= size * 1.3;
                Page.Text(Font, size, Left, _y + size * 0.3, line, gray);
            }
            _y -= after;
        }

        public void Heading(string text)
        {
            Need(11 * 1.3 + 40); // keep a heading with the first rows below it
            Paragraph(text, 11, 0, 4);
        }

        public void Fields(IReadOnlyList<(string Label, string Value)> fields)
        {
            const double labelWidth = 120, size = BodySize, leading = BodySize * 1.35;
            foreach (var (label, value) in fields)
            {
                var lines = Wrap(value, size, Right - Left - labelWidth);
                for (var i = 0; i < lines.Count; i++)
                {
                    Need(leading);
                    _y -= leading;
                    if (i == 0)
                        Page.Text(Font, size, Left, _y + size * 0.3, label + ":", 0.35);
                    Page.Text(Font, size, Left + labelWidth, _y + size * 0.3, lines[i]);
                }
            }
            _y -= 10;
        }

        public void Table(Column[] columns, IEnumerable<Cell[]> rows)
        {
            TableHeader(columns);
            foreach (var row in rows)
            {
                var wrapped = row.Select((cell, c) => cell.Lines
                    .SelectMany(l => Wrap(l.Text, l.Size, columns[c].Width - 2 * Pad).Select(t => (Text: t, l.Size, l.Gray))).ToList()).ToList();
                var height = wrapped.Max(lines => lines.Sum(l => l.Size * 1.25)) + 2 * Pad;
                if (_y - height < Bottom)
                {
                    NewPage();
                    TableHeader(columns);
                }
                var x = Left;
                for (var c = 0; c < columns.Length; c++)
                {
                    var y = _y - Pad;
                    foreach (var (text, size, gray) in wrapped[c])
                    {
                        y -= size * 1.25;
                        var at = columns[c].Align == Align.Right ? x + columns[c].Width - Pad - Font.Width(text, size) : x + Pad;
                        Page.Text(Font, size, at, y + size * 0.25, text, gray);
                    }
                    x += columns[c].Width;
                }
                _y -= height;
                Page.Line(Left, _y, Right, _y, 0.3, 0.7);
            }
            _y -= 6;
        }

        private void TableHeader(Column[] columns)
        {
            var wrapped = columns.Select(c => Wrap(c.Header, TableSize, c.Width - 2 * Pad)).ToList();
            var height = wrapped.Max(l => l.Count) * TableSize * 1.25 + 2 * Pad;
            Need(height + 30);
            Page.Fill(Left, _y - height, Right - Left, height, 0.88);
            var x = Left;
            for (var c = 0; c < columns.Length; c++)
            {
                var y = _y - Pad;
                foreach (var text in wrapped[c])
                {
                    y -= TableSize * 1.25;
                    var at = columns[c].Align == Align.Right ? x + columns[c].Width - Pad - Font.Width(text, TableSize) : x + Pad;
                    Page.Text(Font, TableSize, at, y + TableSize * 0.25, text);
                }
                x += columns[c].Width;
            }
            _y -= height;
            Page.Line(Left, _y, Right, _y, 0.6);
        }

        private void Need(double height)
        {
            if (_y - height < Bottom && _y < Top)
                NewPage();
        }

        private void NewPage()
        {
            Pages.Add(new PageContent());
            _y = Top;
        }

        /// <summary>Breaks text into lines no wider than <paramref name="width"/>: at spaces, and inside words that are wider than a line.</summary>
        private List<string> Wrap(string text, double size, double width)
        {
            var lines = new List<string>();
            var line = new StringBuilder();
            foreach (var word in text.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                var candidate = line.Length == 0 ? word : line + " " + word;
                if (Font.Width(candidate, size) <= width)
                {
                    line.Clear().Append(candidate);
                    continue;
                }
                if (line.Length > 0)
                {
                    lines.Add(line.ToString());
                    line.Clear();
                }
                foreach (var rune in word.EnumerateRunes())
                {
                    if (line.Length > 0 && Font.Width(line + rune.ToString(), size) > width)
                    {
                        lines.Add(line.ToString());
                        line.Clear();
                    }
                    line.Append(rune.ToString());
                }
            }
            if (line.Length > 0 || lines.Count == 0)
                lines.Add(line.ToString());
            return lines;
        }
    }
}
