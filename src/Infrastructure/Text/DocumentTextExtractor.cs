using System.Text;
using ECase.Application.Scanning;
using UglyToad.PdfPig.DocumentLayoutAnalysis.TextExtractor;
using PigDocument = UglyToad.PdfPig.PdfDocument;

namespace ECase.Infrastructure.Text;

/// <summary>Text of born-digital documents: the text layer of a PDF (PdfPig), or plain text (UTF-8, else Latin-1).</summary>
public sealed class DocumentTextExtractor : ITextExtractor
{
    private const long MaxPlainTextBytes = 20 * 1024 * 1024;

    public bool CanExtract(string mediaType) => mediaType is "application/pdf" or "text/plain";

    public DocumentText? Extract(string path, string mediaType) => mediaType switch
    {
        "application/pdf" => FromPdf(path),
        "text/plain" => FromPlainText(path),
        _ => null,
    };

    private static DocumentText? FromPdf(string path)
    {
        using var pdf = PigDocument.Open(path);
        var pages = new List<PageText>();
        foreach (var page in pdf.GetPages())
        {
            var words = page.GetWords()
                .Select(w => new OcrWord(w.Text, (int)w.BoundingBox.Left, (int)(page.Height - w.BoundingBox.Top), (int)Math.Ceiling(w.BoundingBox.Width),
                    (int)Math.Ceiling(w.BoundingBox.Height), 100f, 0, 0))
                .ToList();
            pages.Add(new PageText(page.Number, ContentOrderTextExtractor.GetText(page), 100f, 0, (int)page.Width, (int)page.Height, 72, words));
        }

        return pages.Any(p => !string.IsNullOrWhiteSpace(p.Text)) ? new DocumentText("", "pdf-text", pages) : null;
    }

    private static DocumentText? FromPlainText(string path)
    {
        var info = new System.IO.FileInfo(path);
        if (info.Length > MaxPlainTextBytes) return null;
        var bytes = System.IO.File.ReadAllBytes(path);
        string text;
        try
        {
            text = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            text = Encoding.Latin1.GetString(bytes);
        }

        return string.IsNullOrWhiteSpace(text) ? null : new DocumentText("", "plain", [new PageText(1, text.TrimStart('\uFEFF'), 100f, 0, 0, 0, 0, [])]);
    }
}
