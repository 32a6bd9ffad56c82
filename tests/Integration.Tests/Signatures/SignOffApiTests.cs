using System.Net.Http.Headers;
using System.Security.Cryptography.Pkcs;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using ECase.Application.Cases;
using ECase.Application.Common;
using ECase.Application.Content;
using ECase.Application.Signatures;
using ECase.Application.Submissions;
using ECase.Domain.Signatures;
using Marten;
using Microsoft.Extensions.DependencyInjection;

namespace ECase.Integration.Tests.Signatures;

[Collection(ApiCollection.Name)]
public sealed class SignOffApiTests(ECaseApp app)
{
    private readonly Given _given = new(app);

    private Task<HttpResponseMessage> PostAsync(HttpClient client, Guid caseId, Guid documentId, string action, object body) =>
        client.PostJsonAsync($"/api/cases/{caseId}/documents/{documentId}/{action}", body);

    [Fact]
    public async Task Co_signing_then_final_sign_off_with_a_server_signature_that_verifies_outside_ECase()
    {
        var (_, caseId) = await _given.FileWithCaseAsync();
        var documentId = (await _given.SubmissionAsync(caseId, text: $"Bescheid {Guid.NewGuid()}")).DocumentIds[0];
        var registrar = _given.Registrar;

        await (await PostAsync(_given.ClerkHa, caseId, documentId, "co-sign-requests", new { documentVersion = 1, coSigners = new[] { "registrar" } })).ReadAsync<CommandResult>();
        Assert.Equal("co-sign-pending", (await (await PostAsync(_given.ClerkHa, caseId, documentId, "sign-off", new { documentVersion = 1 })).ProblemAsync(409)).Code());
        Assert.Equal("co-sign-not-requested", (await (await PostAsync(_given.ClerkHa, caseId, documentId, "co-sign", new { documentVersion = 1 })).ProblemAsync(409)).Code());
        Assert.Equal("not-found", (await (await PostAsync(_given.ClerkOa, caseId, documentId, "co-sign", new { documentVersion = 1 })).ProblemAsync(404)).Code());
        await (await PostAsync(registrar, caseId, documentId, "co-sign", new { documentVersion = 1, comment = "mitgezeichnet" })).ReadAsync<CommandResult>();
        await (await PostAsync(_given.ClerkHa, caseId, documentId, "sign-off", new { documentVersion = 1, comment = "Freigabe" })).ReadAsync<CommandResult>();

        var view = await (await _given.ClerkHa.GetAsync($"/api/cases/{caseId}")).ReadAsync<CaseView>();
        var round = Assert.Single(view.Case.Documents.Single(d => d.Id == documentId).SignOffs);
        Assert.Equal((1, "clerk-ha"), (round.Version, round.SignedOffBy));
        Assert.Equal(("registrar", true, "mitgezeichnet"), (round.Answers[0].UserId, round.Answers[0].Approved, round.Answers[0].Comment));

        // Outside ECase: the statement from the event, the .p7s from the store, the server certificate from the API.
        DocumentSignedOff signedOff;
        await using (var session = app.Store.QuerySession())
            signedOff = (await session.Events.FetchStreamAsync(caseId)).Select(e => e.Data).OfType<DocumentSignedOff>().Single();
        Assert.Equal(round.ServerSignatureSha256, signedOff.ServerSignature!.Sha256);
        var p7s = new System.IO.MemoryStream();
        await using (var blob = app.Services.GetRequiredService<IContentStore>().OpenRead(signedOff.ServerSignature.Sha256)) await blob.CopyToAsync(p7s);
        var pem = await (await _given.ClerkHa.GetAsync("/api/integrity/server-certificate")).Content.ReadAsStringAsync();
        var server = X509Certificate2.CreateFromPem(pem);
        var cms = new SignedCms(new ContentInfo(Encoding.UTF8.GetBytes(signedOff.Statement)), detached: true);
        cms.Decode(p7s.ToArray());
        cms.CheckSignature(new X509Certificate2Collection(server), verifySignatureOnly: true);
        Assert.Equal(server.Thumbprint, cms.SignerInfos[0].Certificate!.Thumbprint);
        Assert.Contains($"sha256: {signedOff.Sha256}", signedOff.Statement, StringComparison.Ordinal);

        Assert.Equal("document-signed-off", (await (await PostAsync(_given.ClerkHa, caseId, documentId, "sign-off", new { documentVersion = 1 })).ProblemAsync(409)).Code());
    }

    [Fact]
    public async Task A_new_version_voids_the_sign_off_and_the_co_signatures()
    {
        var (_, caseId) = await _given.FileWithCaseAsync();
        var documentId = (await _given.SubmissionAsync(caseId, text: $"Entwurf {Guid.NewGuid()}")).DocumentIds[0];
        await (await PostAsync(_given.ClerkHa, caseId, documentId, "co-sign-requests", new { documentVersion = 1, coSigners = new[] { "registrar" } })).ReadAsync<CommandResult>();
        await (await PostAsync(_given.Registrar, caseId, documentId, "co-sign", new { documentVersion = 1 })).ReadAsync<CommandResult>();
        await (await PostAsync(_given.ClerkHa, caseId, documentId, "sign-off", new { documentVersion = 1 })).ReadAsync<CommandResult>();

        var form = new MultipartFormDataContent();
        var part = new ByteArrayContent(Given.Pdf($"Entwurf v2 {Guid.NewGuid()}"));
        part.Headers.ContentType = new MediaTypeHeaderValue("application/pdf");
        form.Add(part, "file", "Entwurf-v2.pdf");
        await (await _given.ClerkHa.PostAsync($"/api/cases/{caseId}/documents/{documentId}/versions", form)).ReadAsync<CommandResult>();

        Assert.Equal("document-version-changed", (await (await PostAsync(_given.ClerkHa, caseId, documentId, "sign-off", new { documentVersion = 1 })).ProblemAsync(409)).Code());
        Assert.Equal("co-sign-pending", (await (await PostAsync(_given.ClerkHa, caseId, documentId, "sign-off", new { documentVersion = 2 })).ProblemAsync(409)).Code());
        await (await PostAsync(_given.Registrar, caseId, documentId, "co-sign", new { documentVersion = 2 })).ReadAsync<CommandResult>();
        await (await PostAsync(_given.ClerkHa, caseId, documentId, "sign-off", new { documentVersion = 2 })).ReadAsync<CommandResult>();

        var view = await (await _given.ClerkHa.GetAsync($"/api/cases/{caseId}")).ReadAsync<CaseView>();
        var rounds = view.Case.Documents.Single(d => d.Id == documentId).SignOffs;
        Assert.Equal([1, 2], rounds.Select(r => r.Version));
        Assert.All(rounds, r => Assert.Equal("clerk-ha", r.SignedOffBy));
    }

    [Fact]
    public async Task Case_details_with_signatures_and_sign_offs_rebuilt_from_the_events_equal_the_live_ones()
    {
        var (_, caseId) = await _given.FileWithCaseAsync();
        var documentId = (await _given.SubmissionAsync(caseId, text: $"Rebuild {Guid.NewGuid()}")).DocumentIds[0];
        await (await PostAsync(_given.ClerkHa, caseId, documentId, "co-sign-requests", new { documentVersion = 1, coSigners = new[] { "registrar", "clerk-ha" } })).ReadAsync<CommandResult>();
        await (await PostAsync(_given.Registrar, caseId, documentId, "co-sign", new { documentVersion = 1, comment = "ok" })).ReadAsync<CommandResult>();
        await (await PostAsync(_given.ClerkHa, caseId, documentId, "co-sign/decline", new { documentVersion = 1, comment = "Frist fehlt" })).ReadAsync<CommandResult>();
        var content = new ByteArrayContent("garbage"u8.ToArray());
        content.Headers.ContentType = new MediaTypeHeaderValue("application/pkcs7-signature");
        await (await _given.ClerkHa.PostAsync($"/api/cases/{caseId}/documents/{documentId}/versions/1/signatures", content)).ReadAsync<SignaturesVerified>();
        await app.WaitForJobsAsync();

        string live;
        await using (var session = app.Store.QuerySession())
            live = System.Text.Json.JsonSerializer.Serialize(await session.LoadAsync<ECase.Projections.Cases.CaseDetails>(caseId), ECaseApp.Json);
        using var daemon = await app.Store.BuildProjectionDaemonAsync();
        await daemon.RebuildProjectionAsync<ECase.Projections.Cases.CaseDetailsProjection>(CancellationToken.None);

        await using (var session = app.Store.QuerySession())
            Assert.Equal(live, System.Text.Json.JsonSerializer.Serialize(await session.LoadAsync<ECase.Projections.Cases.CaseDetails>(caseId), ECaseApp.Json));
        Assert.Contains("Frist fehlt", live, StringComparison.Ordinal);
        Assert.Contains("FORMAT_FAILURE", live, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bad_sign_off_requests_get_problems()
    {
        var (_, caseId) = await _given.FileWithCaseAsync();
        var documentId = (await _given.SubmissionAsync(caseId, text: $"x {Guid.NewGuid()}")).DocumentIds[0];

        Assert.Equal("co-signers-required", (await (await PostAsync(_given.ClerkHa, caseId, documentId, "co-sign-requests", new { documentVersion = 1, coSigners = Array.Empty<string>() })).ProblemAsync(400)).Code());
        Assert.Equal("document-version-unknown", (await (await PostAsync(_given.ClerkHa, caseId, documentId, "sign-off", new { documentVersion = 9 })).ProblemAsync(404)).Code());
        await (await PostAsync(_given.ClerkHa, caseId, documentId, "co-sign-requests", new { documentVersion = 1, coSigners = new[] { "clerk-ha" } })).ReadAsync<CommandResult>();
        Assert.Equal("comment-required", (await (await PostAsync(_given.ClerkHa, caseId, documentId, "co-sign/decline", new { documentVersion = 1 })).ProblemAsync(400)).Code());
        Assert.Equal(403, (int)(await PostAsync(app.ClientFor("auditor"), caseId, documentId, "sign-off", new { documentVersion = 1 })).StatusCode);
    }
}
