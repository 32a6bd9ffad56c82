using System.Diagnostics;
using ECase.Api.Demo;
using ECase.Application.Cases;
using ECase.Application.Scanning;

namespace ECase.Integration.Tests;

/// <summary>Born-digital documents get their text extracted by a job, stored like OCR text.</summary>
[Collection(ApiCollection.Name)]
public sealed class TextExtractionTests(ECaseApp app)
{
    private readonly Given _given = new(app);

    private async Task<DocumentText> WaitForTextAsync(Guid caseId, Guid documentId)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var view = await (await _given.ClerkHa.GetAsync($"/api/cases/{caseId}")).ReadAsync<CaseView>();
            if (view.Case.Documents.Single(d => d.Id == documentId).Versions[0].TextSource is not null)
                return await (await _given.ClerkHa.GetAsync($"/api/cases/{caseId}/documents/{documentId}/versions/1/text")).ReadAsync<DocumentText>();
            if (clock.Elapsed > TimeSpan.FromSeconds(30)) throw new TimeoutException("no text extracted");
            await Task.Delay(100);
        }
    }

    [Fact]
    public async Task The_text_layer_of_a_PDF_and_plain_text_become_the_documents_text()
    {
        var (_, caseId) = await _given.FileWithCaseAsync();
        var submitted = await (await _given.ClerkHa.PostAsync($"/api/cases/{caseId}/submissions", Given.Submission(files:
        [
            ("Antrag.pdf", "application/pdf", DemoPdf.Create("Antrag auf Baugenehmigung, Lindenstraße 12")),
            ("Notiz.txt", "text/plain", "Rückfrage beim Bauherrn: Stellplätze nachweisen."u8.ToArray()),
        ]))).ReadAsync<SubmissionRegisteredDto>();

        var pdf = await WaitForTextAsync(caseId, submitted.DocumentIds[0]);
        Assert.Equal("pdf-text", pdf.Source);
        Assert.Contains("Antrag auf Baugenehmigung, Lindenstraße 12", Assert.Single(pdf.Pages).Text, StringComparison.Ordinal);

        var plain = await WaitForTextAsync(caseId, submitted.DocumentIds[1]);
        Assert.Equal("plain", plain.Source);
        Assert.Equal("Rückfrage beim Bauherrn: Stellplätze nachweisen.", Assert.Single(plain.Pages).Text);
    }

    [Fact]
    public async Task A_document_without_text_has_no_text_and_says_so()
    {
        var (_, caseId) = await _given.FileWithCaseAsync();
        var submitted = await (await _given.ClerkHa.PostAsync($"/api/cases/{caseId}/submissions", Given.Submission(files:
            ("Foto.png", "image/png", [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0])))).ReadAsync<SubmissionRegisteredDto>();
        var problem = await (await _given.ClerkHa.GetAsync($"/api/cases/{caseId}/documents/{submitted.DocumentIds[0]}/versions/1/text")).ProblemAsync(409);
        Assert.Equal("text-not-available", problem.Code());
    }

    private sealed record SubmissionRegisteredDto(Guid CaseId, Guid SubmissionId, List<Guid> DocumentIds, long Version);
}
