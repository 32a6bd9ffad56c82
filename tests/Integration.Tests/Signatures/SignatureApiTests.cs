using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using ECase.Application.Audit;
using ECase.Application.Cases;
using ECase.Application.Signatures;
using ECase.Application.Submissions;
using ECase.Domain.Signatures;
using Marten;
using Marten.Events;

namespace ECase.Integration.Tests.Signatures;

[Collection(ApiCollection.Name)]
public sealed class SignatureApiTests(ECaseApp app)
{
    private static readonly X509Certificate2 TestCa = TestPki.Ca("ECase API Test CA");
    private static readonly X509Certificate2 OtherCa = TestPki.Ca("Fremde CA");
    private static readonly X509Certificate2 Erika = TestPki.Signer(TestCa, "Erika Mustermann");

    private readonly Given _given = new(app);

    private async Task<(Guid FileId, Guid CaseId, Guid DocumentId)> DocumentAsync(byte[] pdf)
    {
        TestPki.Trust(app.TrustStore, TestCa);
        var (fileId, caseId) = await _given.FileWithCaseAsync();
        var submission = await (await _given.ClerkHa.PostAsync($"/api/cases/{caseId}/submissions",
            Given.Submission(files: ("Bescheid.pdf", "application/pdf", pdf)))).ReadAsync<SubmissionRegistered>();
        return (fileId, caseId, submission.DocumentIds[0]);
    }

    private static ByteArrayContent P7s(byte[] bytes, string mediaType = "application/pkcs7-signature")
    {
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue(mediaType);
        return content;
    }

    private Task<HttpResponseMessage> VerifyAsync(Guid caseId, Guid documentId, HttpContent? body = null, int version = 1, HttpClient? client = null) =>
        (client ?? _given.ClerkHa).PostAsync($"/api/cases/{caseId}/documents/{documentId}/versions/{version}/signatures", body);

    [Fact]
    public async Task The_PAdES_signature_of_an_incoming_PDF_is_verified_on_arrival_and_recorded_as_an_event()
    {
        var (fileId, caseId, documentId) = await DocumentAsync(TestPki.SignedPdf(Erika));
        await app.WaitForJobsAsync();

        var view = await (await _given.ClerkHa.GetAsync($"/api/cases/{caseId}")).ReadAsync<CaseView>();
        var onArrival = Assert.Single(view.Case.Documents.Single(d => d.Id == documentId).Versions[0].Signatures);
        Assert.Equal((SignatureFormat.Pades, SignatureOutcome.Passed, SignatureLevel.AdES), (onArrival.Result.Format, onArrival.Result.Outcome, onArrival.Result.Level));
        Assert.Equal("CN=Erika Mustermann, O=Stadt Musterstadt, C=DE", onArrival.Result.SignerSubject);
        Assert.Equal(TestPki.SigningTime, onArrival.Result.SigningTime);
        Assert.Equal("system:signatures", onArrival.VerifiedBy);

        // A clerk can check again at any time (e.g. after adding a CA to the trust store): a second recorded result.
        var result = await (await VerifyAsync(caseId, documentId)).ReadAsync<SignaturesVerified>();
        var again = Assert.Single(result.Signatures);
        Assert.Equal(SignatureOutcome.Passed, again.Result.Outcome);
        Assert.Null(again.Signature);
        view = await (await _given.ClerkHa.GetAsync($"/api/cases/{caseId}")).ReadAsync<CaseView>();
        Assert.Equal(["system:signatures", "clerk-ha"], view.Case.Documents.Single(d => d.Id == documentId).Versions[0].Signatures.Select(s => s.VerifiedBy));
        Assert.Equal(result.Version, view.Case.Version);

        await app.Store.WaitForNonStaleProjectionDataAsync(TimeSpan.FromSeconds(30));
        var trail = await (await app.ClientFor("auditor").GetAsync($"/api/files/{fileId}/audit")).ReadAsync<List<AuditTrailLine>>();
        Assert.Equal([("system:signatures", "system"), ("clerk-ha", "clerk")],
            trail.Where(l => l.What == "signature_verified").Select(l => (l.UserId, l.Role)));
    }

    [Fact]
    public async Task A_detached_p7s_beside_the_document_is_verified_and_kept_in_the_content_store()
    {
        var pdf = Given.Pdf($"Antrag {Guid.NewGuid()}");
        var (_, caseId, documentId) = await DocumentAsync(pdf);
        var p7s = TestPki.Sign(Erika, pdf);

        var verified = Assert.Single((await (await VerifyAsync(caseId, documentId, P7s(p7s))).ReadAsync<SignaturesVerified>()).Signatures);

        Assert.Equal((SignatureFormat.CadesDetached, SignatureOutcome.Passed), (verified.Result.Format, verified.Result.Outcome));
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(p7s)), verified.Signature!.Sha256);
        Assert.Equal("application/pkcs7-signature", verified.Signature.MediaType);
        Assert.Contains(app.StoredBlobs(), p => p.EndsWith(verified.Signature.Sha256, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Expired_untrusted_tampered_and_garbage_signatures_are_recorded_with_their_reason_not_refused()
    {
        var pdf = Given.Pdf($"Antrag {Guid.NewGuid()}");
        var (_, caseId, documentId) = await DocumentAsync(pdf);
        var expired = TestPki.Signer(TestCa, "Erika Abgelaufen", notAfter: new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var stranger = TestPki.Signer(OtherCa, "Fremder Signierer");
        var otherDocument = Given.Pdf("ein anderes Dokument");

        async Task<SignatureCheck> Outcome(byte[] p7s) =>
            Assert.Single((await (await VerifyAsync(caseId, documentId, P7s(p7s))).ReadAsync<SignaturesVerified>()).Signatures).Result;

        var e = await Outcome(TestPki.Sign(expired, pdf));
        var u = await Outcome(TestPki.Sign(stranger, pdf, ca: OtherCa));
        var t = await Outcome(TestPki.Sign(Erika, otherDocument));
        var g = await Outcome("garbage, not CMS"u8.ToArray());

        Assert.Equal((SignatureOutcome.Indeterminate, "OUT_OF_BOUNDS_NO_POE"), (e.Outcome, e.Reason));
        Assert.Equal((SignatureOutcome.Indeterminate, "NO_CERTIFICATE_CHAIN_FOUND"), (u.Outcome, u.Reason));
        Assert.Equal((SignatureOutcome.Failed, "HASH_FAILURE"), (t.Outcome, t.Reason));
        Assert.Equal((SignatureOutcome.Failed, "FORMAT_FAILURE"), (g.Outcome, g.Reason));
        var view = await (await _given.ClerkHa.GetAsync($"/api/cases/{caseId}")).ReadAsync<CaseView>();
        Assert.Equal(4, view.Case.Documents.Single(d => d.Id == documentId).Versions[0].Signatures.Count);
    }

    [Fact]
    public async Task Requests_that_cannot_be_judged_get_a_problem_and_record_nothing()
    {
        var (_, caseId, documentId) = await DocumentAsync(Given.Pdf($"unsigniert {Guid.NewGuid()}"));
        await app.WaitForJobsAsync();
        var events = await app.EventCountAsync();
        var blobs = app.StoredBlobs().Length;

        Assert.Equal("no-signature-found", (await (await VerifyAsync(caseId, documentId)).ProblemAsync(400)).Code());
        Assert.Equal("upload-too-large", (await (await VerifyAsync(caseId, documentId, P7s(new byte[5 * 1024 * 1024]))).ProblemAsync(413)).Code());
        Assert.Equal("document-version-unknown", (await (await VerifyAsync(caseId, documentId, P7s([0x30, 0x00]), version: 7)).ProblemAsync(404)).Code());
        Assert.Equal("document-unknown", (await (await VerifyAsync(caseId, Guid.NewGuid(), P7s([0x30, 0x00]))).ProblemAsync(404)).Code());
        Assert.Equal("not-found", (await (await VerifyAsync(caseId, documentId, P7s([0x30, 0x00]), client: _given.ClerkOa)).ProblemAsync(404)).Code());
        Assert.Equal("validation-failed", (await (await _given.ClerkHa.PostAsync(
            $"/api/cases/{caseId}/documents/{documentId}/versions/1/signatures?fileName=..%2Fx.p7s", P7s([0x30, 0x00]))).ProblemAsync(400)).Code());

        Assert.Equal(events, await app.EventCountAsync());
        Assert.Equal(blobs, app.StoredBlobs().Length);
        Assert.Empty(app.StagingFiles());
    }
}
