using ECase.Application.Scanning;
using ECase.Domain.Cases;

namespace ECase.Integration.Tests;

/// <summary>OCR jobs live in the durable queue next to the events: stopping the server does not lose them.</summary>
public sealed class OcrRestartTests
{
    [Fact]
    public async Task A_restart_while_an_OCR_job_is_queued_loses_no_job()
    {
        var schema = $"t_{Guid.NewGuid():N}"[..20];
        var content = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"ecase-test-{Guid.NewGuid():N}");
        var (image, truth) = Fixtures.SinglePages().First();
        Guid caseId, documentId;

        await using (var paused = new ECaseApp(schema, content, new() { ["Scanning:ProcessJobs"] = "false" }, ownsData: false))
        {
            var given = new Given(paused);
            (_, caseId) = await given.FileWithCaseAsync();
            var recorded = await (await given.ClerkHa.PostAsync($"/api/cases/{caseId}/scans",
                ScanningTests.Scan(image, ScanningTests.MediaTypeOf(image)))).ReadAsync<ScanRecorded>();
            documentId = recorded.DocumentId;
            var view = await (await given.ClerkHa.GetAsync($"/api/cases/{caseId}")).ReadAsync<ECase.Application.Cases.CaseView>();
            Assert.Equal(OcrState.Pending, view.Case.Documents.Single().Versions[0].Ocr.State);
        }

        await using var restarted = new ECaseApp(schema, content, [], ownsData: true);
        var clerk = restarted.ClientFor("clerk-ha");
        var version = await ScanningTests.WaitForOcrAsync(clerk, caseId, documentId, TimeSpan.FromSeconds(120));
        Assert.Equal(OcrState.Completed, version.Ocr.State);
        var text = await (await clerk.GetAsync($"/api/cases/{caseId}/documents/{documentId}/versions/1/text")).ReadAsync<DocumentText>();
        Assert.True(Cer.Of(text.Pages[0].Text, truth) < 0.01);
    }
}
