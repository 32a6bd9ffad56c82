using System.Net;
using System.Net.Http.Headers;
using System.Security.Claims;
using System.Text;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace ECase.Integration.Tests;

[Collection(ApiCollection.Name)]
public sealed class AuthorizationTests(ECaseApp app)
{
    private readonly Given _given = new(app);

    [Fact]
    public async Task A_clerk_of_OA_can_neither_read_nor_change_a_file_of_HA()
    {
        var (fileId, caseId) = await _given.FileWithCaseAsync(_given.ClerkHa);
        await app.WaitForJobsAsync();
        var before = await app.EventCountAsync();

        Assert.Equal("not-found", (await (await _given.ClerkOa.GetAsync($"/api/files/{fileId}")).ProblemAsync(404)).Code());
        Assert.Equal("not-found", (await (await _given.ClerkOa.GetAsync($"/api/cases/{caseId}")).ProblemAsync(404)).Code());
        await (await _given.ClerkOa.PostJsonAsync($"/api/cases/{caseId}/rename", new { title = "Übernommen" })).ProblemAsync(404);
        await (await _given.ClerkOa.PostAsync($"/api/cases/{caseId}/close", null)).ProblemAsync(404);
        await (await _given.ClerkOa.PostJsonAsync($"/api/files/{fileId}/cases", new { title = "Fremd" })).ProblemAsync(404);
        await (await _given.ClerkOa.PostAsync($"/api/cases/{caseId}/submissions", Given.Submission(files: ("a.pdf", "application/pdf", Given.Pdf("x"))))).ProblemAsync(404);
        await (await _given.ClerkOa.GetAsync($"/api/files/{fileId}/audit")).ProblemAsync(404);

        var list = await (await _given.ClerkOa.GetAsync("/api/files?pageSize=200")).ReadAsync<ECase.Application.Files.Paged<System.Text.Json.JsonElement>>();
        Assert.DoesNotContain(list.Items, f => f.GetProperty("id").GetGuid() == fileId);
        Assert.All(list.Items, f => Assert.Equal("OA", f.GetProperty("orgUnit").GetString()));
        Assert.Equal(before, await app.EventCountAsync());
    }

    [Fact]
    public async Task A_clerk_cannot_open_a_file_in_another_org_unit()
    {
        var plan = await _given.PlanUnitAsync();
        var response = await _given.ClerkOa.PostJsonAsync("/api/files", new { title = "Fremde Akte", planUnitCode = plan, orgUnit = "HA" });
        Assert.Equal("forbidden", (await response.ProblemAsync(403)).Code());
    }

    [Fact]
    public async Task Without_a_token_every_API_endpoint_answers_401()
    {
        var anonymous = app.CreateClient();
        foreach (var url in new[] { "/api/files", "/api/file-plan", $"/api/files/{Guid.NewGuid()}", $"/api/cases/{Guid.NewGuid()}" })
            Assert.Equal("unauthorized", (await (await anonymous.GetAsync(url)).ProblemAsync(401)).Code());
        await (await anonymous.PostJsonAsync("/api/files", new { title = "x", planUnitCode = "1" })).ProblemAsync(401);
    }

    [Fact]
    public async Task A_forged_token_is_refused_with_401()
    {
        var forged = new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = "ecase-dev",
            Audience = "ecase",
            Expires = DateTime.UtcNow.AddHours(1),
            Subject = new ClaimsIdentity([new Claim("sub", "mallory"), new Claim("role", "registrar"), new Claim("org_unit", "HA"), new Claim("clearance", "4")]),
            SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(Encoding.UTF8.GetBytes("not-the-server-key-not-the-server-key!!")), SecurityAlgorithms.HmacSha256),
        });
        await AssertRefused(forged);

        // A genuine token with one claim changed: the signature no longer matches.
        var genuine = app.TokenFor("clerk-oa").Split('.');
        var payload = Base64UrlEncoder.Decode(genuine[1]).Replace("\"OA\"", "\"HA\"", StringComparison.Ordinal);
        await AssertRefused($"{genuine[0]}.{Base64UrlEncoder.Encode(payload)}.{genuine[2]}");

        // "alg": "none" tokens are never accepted.
        var header = Base64UrlEncoder.Encode("""{"alg":"none","typ":"JWT"}""");
        await AssertRefused($"{header}.{genuine[1]}.");
    }

    [Fact]
    public async Task An_expired_token_is_refused_with_401()
    {
        var expired = app.TokenFor("clerk-ha", TimeSpan.FromMinutes(5), DateTime.UtcNow.AddHours(-1));
        await AssertRefused(expired);
    }

    [Fact]
    public async Task Citizens_and_archivists_see_no_files_and_only_registrars_change_the_file_plan()
    {
        foreach (var user in new[] { "citizen", "archivist" })
            Assert.Equal("forbidden", (await (await app.ClientFor(user).GetAsync("/api/files")).ProblemAsync(403)).Code());
        await (await app.ClientFor("citizen").GetAsync("/api/file-plan")).ProblemAsync(403);
        await (await _given.ClerkHa.PostJsonAsync("/api/file-plan", new { code = "77.1", title = "Nicht erlaubt" })).ProblemAsync(403);
    }

    private async Task AssertRefused(string token)
    {
        var client = app.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        var problem = await (await client.GetAsync("/api/files")).ProblemAsync(401);
        Assert.Equal("unauthorized", problem.Code());
        Assert.Equal((int)HttpStatusCode.Unauthorized, problem.GetProperty("status").GetInt32());
    }

    [Fact]
    public async Task A_registrar_lists_files_of_every_level_up_to_the_clearance_not_in_string_order()
    {
        // Confidentiality is stored as a string; "Open" sorts after "Confidential", which once hid open files from registrars.
        var file = await _given.FileAsync();
        var page = await (await _given.Registrar.GetAsync($"/api/files?reference={Uri.EscapeDataString(file.Reference)}")).ReadAsync<System.Text.Json.JsonElement>();
        Assert.Equal(1, page.GetProperty("total").GetInt64());
    }
}
