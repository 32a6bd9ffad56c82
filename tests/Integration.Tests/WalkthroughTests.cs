using System.Net;
using System.Text.Json;
using ECase.Application.Audit;
using ECase.Application.Cases;
using ECase.Application.Common;
using ECase.Application.Files;
using ECase.Domain.Files;
using Marten;
using Marten.Events;

namespace ECase.Integration.Tests;

[Collection(ApiCollection.Name)]
public sealed class WalkthroughTests(ECaseApp app)
{
    private readonly Given _given = new(app);

    [Fact]
    public async Task A_clerk_opens_a_file_registers_a_pdf_and_sees_it_in_the_overview_and_the_audit_trail()
    {
        var plan = await _given.PlanUnitAsync();
        var file = await _given.FileAsync(planUnit: plan, title: "Neubau Carport");
        Assert.Matches($"^HA-{plan.Replace(".", "\\.", StringComparison.Ordinal)}-0001/\\d{{4}}$", file.Reference);

        var c = await _given.CaseAsync(file.Id, title: "Bauantrag");
        var pdf = ECase.Api.Demo.DemoPdf.Create("Antrag auf Baugenehmigung");
        var submitted = await (await _given.ClerkHa.PostAsync($"/api/cases/{c.Id}/submissions",
            Given.Submission("Bauantrag mit Lageplan", ("Bauantrag.pdf", "application/pdf", pdf)))).ReadAsync<SubmissionRegisteredDto>();

        var overview = await (await _given.ClerkHa.GetAsync($"/api/files/{file.Id}")).ReadAsync<FileView>();
        Assert.Equal("Neubau Carport", overview.File.Title);
        Assert.Equal(1, overview.File.OpenCaseCount);
        Assert.Equal("Bauantrag", Assert.Single(overview.Cases).Title);
        Assert.Equal(1, overview.Cases[0].DocumentCount);

        var caseView = await (await _given.ClerkHa.GetAsync($"/api/cases/{c.Id}")).ReadAsync<CaseView>();
        var version = Assert.Single(Assert.Single(caseView.Case.Documents).Versions);
        Assert.Equal("Bauantrag.pdf", version.FileName);
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(pdf)), version.Sha256);

        var content = await _given.ClerkHa.GetAsync($"/api/cases/{c.Id}/documents/{submitted.DocumentIds[0]}/versions/1/content");
        Assert.Equal(HttpStatusCode.OK, content.StatusCode);
        Assert.Equal(pdf, await content.Content.ReadAsByteArrayAsync());

        await app.WaitForJobsAsync();
        await app.Store.WaitForNonStaleProjectionDataAsync(TimeSpan.FromSeconds(15));
        var trail = await (await app.ClientFor("auditor").GetAsync($"/api/files/{file.Id}/audit")).ReadAsync<List<AuditTrailLine>>();
        var events = trail.Where(l => l.Kind == "event").Select(l => l.What).ToList();
        Assert.Equal(["file_opened", "case_added_to_file", "case_opened", "submission_received", "document_added"], events[..5]);
        // The follow-on jobs of a PDF: its text and its PDF/A rendition, in either order, by the system.
        Assert.Equal(["rendition_created", "text_extracted"], events[5..].Order());
        Assert.All(trail.Where(l => l.What is "rendition_created" or "text_extracted"), l => Assert.Equal("system", l.Role));
        var reads = trail.Where(l => l.Kind == "read").Select(l => (l.What, l.UserId)).ToList();
        Assert.Contains((AccessLog.ReadFile, "clerk-ha"), reads);
        Assert.Contains((AccessLog.ReadCase, "clerk-ha"), reads);
        Assert.Contains((AccessLog.ReadDocumentContent, "clerk-ha"), reads);
        Assert.All(trail.Where(l => l.Kind == "event").Take(5), l => Assert.Equal(("clerk-ha", "clerk", "HA"), (l.UserId, l.Role, l.OrgUnit)));
    }

    [Fact]
    public async Task Closing_a_file_with_an_open_case_is_refused_and_allowed_after_the_case_closed()
    {
        var (fileId, caseId) = await _given.FileWithCaseAsync();
        var refused = await (await _given.ClerkHa.PostAsync($"/api/files/{fileId}/close", null)).ProblemAsync(409);
        Assert.Equal("file-has-open-cases", refused.Code());
        Assert.EndsWith("/problems/file-has-open-cases", refused.GetProperty("type").GetString());

        await (await _given.ClerkHa.PostAsync($"/api/cases/{caseId}/close", null)).ReadAsync<CommandResult>();
        var closed = await (await _given.ClerkHa.PostAsync($"/api/files/{fileId}/close", null)).ReadAsync<CommandResult>();
        Assert.Equal(4, closed.Version);

        var file = await (await _given.ClerkHa.GetAsync($"/api/files/{fileId}")).ReadAsync<FileView>();
        Assert.Equal(FileStatus.Closed, file.File.Status);
        Assert.NotNull(file.File.ClosedAt);

        var reopened = await (await _given.ClerkHa.PostJsonAsync($"/api/files/{fileId}/reopen", new { reason = "Widerspruch eingegangen" })).ReadAsync<CommandResult>();
        Assert.Equal(5, reopened.Version);
    }

    [Fact]
    public async Task Reclassifying_gives_a_new_reference_and_keeps_the_old_one()
    {
        var from = await _given.PlanUnitAsync();
        var to = await _given.PlanUnitAsync();
        var file = await _given.FileAsync(planUnit: from);
        await (await _given.ClerkHa.PostJsonAsync($"/api/files/{file.Id}/reclassify", new { planUnitCode = to })).ReadAsync<CommandResult>();

        var view = await (await _given.ClerkHa.GetAsync($"/api/files/{file.Id}")).ReadAsync<FileView>();
        Assert.StartsWith($"HA-{to}-0001/", view.File.Reference, StringComparison.Ordinal);
        Assert.Equal([file.Reference], view.File.PreviousReferences);
        var byRef = await (await _given.ClerkHa.GetAsync($"/api/files?reference={Uri.EscapeDataString(view.File.Reference)}")).ReadAsync<Paged<JsonElement>>();
        Assert.Equal(file.Id, Assert.Single(byRef.Items).GetProperty("id").GetGuid());
    }

    [Fact]
    public async Task Files_opened_at_the_same_time_get_distinct_running_numbers()
    {
        var plan = await _given.PlanUnitAsync();
        var opened = await Task.WhenAll(Enumerable.Range(0, 12).Select(_ => _given.FileAsync(planUnit: plan)));
        var numbers = opened.Select(f => FileReference.TryParse(f.Reference, out var r) ? r!.Number : -1).Order().ToList();
        Assert.Equal(Enumerable.Range(1, 12), numbers);
    }

    [Fact]
    public async Task Health_and_the_OpenAPI_document_need_no_token()
    {
        var anonymous = app.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/health/live")).StatusCode);
        var ready = await anonymous.GetAsync("/health/ready");
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Equal("Healthy", await ready.Content.ReadAsStringAsync());
        var openApi = await anonymous.GetAsync("/openapi/v1.json");
        Assert.Equal(HttpStatusCode.OK, openApi.StatusCode);
        var doc = JsonDocument.Parse(await openApi.Content.ReadAsStringAsync()).RootElement;
        Assert.True(doc.GetProperty("paths").TryGetProperty("/api/cases/{caseId}/submissions", out _));
    }

    private sealed record SubmissionRegisteredDto(Guid CaseId, Guid SubmissionId, List<Guid> DocumentIds, long Version);
}
