using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using ECase.Integration.Tests;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace ECase.Browser.Tests;

/// <summary>
/// Akteneinsicht end to end in headless Chromium (the Debian package, driven by Playwright; no browser download): the
/// citizen asks, the clerk drags one redaction box on the rendered page and grants, the citizen sees the page with the box.
/// </summary>
public sealed class PortalTests(PortalHost host) : IClassFixture<PortalHost>
{
    /// <summary>The line the clerk blacks out, and one below it that must stay readable (baselines in points from the bottom).</summary>
    private static readonly (double X, double Baseline, string Text) Secret = (72, 760, "Nachbar: Max Mustermann, Tel. 0171 2345678");

    private static readonly (double X, double Baseline, string Text) Public = (72, 680, "Bauvorhaben: Garage mit Carport");

    /// <summary>The dragged box as fractions of the page image (origin top left): around the secret line with a margin.</summary>
    private static readonly Region Box = new(0.08, 0.06, 0.90, 0.125);

    [Fact]
    public async Task The_citizen_sees_the_page_with_the_black_box_the_clerk_drew()
    {
        var app = host.App;
        var given = new Given(app);
        var file = await given.FileAsync(title: "Neubau Garage, Birkenweg 4");
        var c = await given.CaseAsync(file.Id, title: "Bauantrag");
        await (await given.ClerkHa.PostAsync($"/api/cases/{c.Id}/submissions",
            Given.Submission("Bauantrag mit Nachbarunterschrift", ("Bauantrag.pdf", "application/pdf", TestPdf.Lines(Secret, Public))))).ReadAsync<JsonElement>();
        await app.WaitForJobsAsync();

        SetDefaultExpectTimeout(30_000);
        await using var citizenContext = await host.NewContextAsync();
        await using var clerkContext = await host.NewContextAsync();
        var citizen = await citizenContext.NewPageAsync();
        var clerk = await clerkContext.NewPageAsync();
        var problems = new List<string>();
        foreach (var page in new[] { citizen, clerk })
        {
            page.Console += (_, m) => { if (m.Type == "error") problems.Add($"{page.Url}: {m.Text}"); };
            page.PageError += (_, e) => problems.Add($"{page.Url}: {e}");
        }

        try
        {
            // The citizen signs in with the demo token and asks to inspect the file.
            await citizen.GotoAsync("/portal");
            Assert.EndsWith("/portal/", citizen.Url, StringComparison.Ordinal);
            await citizen.GetByRole(AriaRole.Button, new() { Name = "Als Demo-Bürgerin anmelden" }).ClickAsync();
            await Expect(citizen.Locator("#meldung")).ToContainTextAsync("Angemeldet als Clara Citizen");
            await citizen.GetByLabel("Aktenzeichen").FillAsync(file.Reference);
            await citizen.GetByLabel("Begründung").FillAsync("Ich bin Nachbar und möchte die Bauunterlagen einsehen.");
            await citizen.GetByRole(AriaRole.Button, new() { Name = "Antrag stellen" }).ClickAsync();
            var request = citizen.Locator("#antraege tbody tr", new() { HasText = file.Reference });
            await Expect(request).ToContainTextAsync("Beantragt");

            // The clerk opens it, drags a box over the secret line on the rendered page and grants the whole file.
            await clerk.GotoAsync("/portal/sachbearbeitung.html");
            await clerk.GetByLabel("Demo-Benutzer").SelectOptionAsync("clerk-ha");
            await clerk.GetByRole(AriaRole.Button, new() { Name = "Als Demo-Benutzer anmelden" }).ClickAsync();
            await clerk.Locator("#antraege tbody tr", new() { HasText = file.Reference }).GetByRole(AriaRole.Button, new() { Name = "Bearbeiten" }).ClickAsync();
            await clerk.GetByRole(AriaRole.Button, new() { Name = "Seiten ansehen und schwärzen" }).ClickAsync();
            var original = clerk.Locator("#seite-bild");
            await Expect(original).ToHaveAttributeAsync("alt", new Regex("^Seite 1 von 1 "));
            var before = await DarkShareAsync(original, Box.Inset(0.01));
            Assert.True(before is > 0.01 and < 0.5, $"the original page shows the secret line as text, not black: {before:P1} dark");

            await original.ScrollIntoViewIfNeededAsync();
            var shown = (await original.BoundingBoxAsync())!;
            await clerk.Mouse.MoveAsync(shown.X + (float)(Box.Left * shown.Width), shown.Y + (float)(Box.Top * shown.Height));
            await clerk.Mouse.DownAsync();
            await clerk.Mouse.MoveAsync(shown.X + (float)(Box.Right * shown.Width), shown.Y + (float)(Box.Bottom * shown.Height), new() { Steps = 8 });
            await clerk.Mouse.UpAsync();
            await Expect(clerk.Locator("#neue-box")).ToBeVisibleAsync();
            await clerk.GetByLabel("Grund der Schwärzung").SelectOptionAsync("ThirdPartyPersonalData");
            await clerk.GetByRole(AriaRole.Button, new() { Name = "Schwärzung speichern" }).ClickAsync();
            await Expect(clerk.Locator("#meldung")).ToContainTextAsync("Schwärzung gespeichert");
            await clerk.GetByLabel("Ganze Akte").CheckAsync();
            await clerk.GetByRole(AriaRole.Button, new() { Name = "Einsicht gewähren" }).ClickAsync();
            await Expect(clerk.Locator("#meldung")).ToContainTextAsync("Einsicht gewährt");

            // The box reached the server in PDF points, origin bottom left.
            var mine = await (await app.ClientFor("citizen").GetAsync("/api/citizen/inspections")).ReadAsync<JsonElement>();
            var id = mine.EnumerateArray().Single(x => x.GetProperty("fileReference").GetString() == file.Reference).GetProperty("id").GetString();
            var details = await (await given.ClerkHa.GetAsync($"/api/inspections/{id}")).ReadAsync<JsonElement>();
            var redaction = details.GetProperty("redactions").EnumerateArray().Single();
            AssertNear(Box.Left * TestPdf.Width, redaction.GetProperty("x").GetDouble(), "x");
            AssertNear((1 - Box.Bottom) * TestPdf.Height, redaction.GetProperty("y").GetDouble(), "y");
            AssertNear((Box.Right - Box.Left) * TestPdf.Width, redaction.GetProperty("width").GetDouble(), "width");
            AssertNear((Box.Bottom - Box.Top) * TestPdf.Height, redaction.GetProperty("height").GetDouble(), "height");

            // The citizen opens the granted document and sees the page: black inside the box, the rest as it was.
            await citizen.GetByRole(AriaRole.Button, new() { Name = "Liste aktualisieren" }).ClickAsync();
            await Expect(request).ToContainTextAsync("Gewährt");
            await request.GetByRole(AriaRole.Button, new() { Name = "Einsicht öffnen" }).ClickAsync();
            await citizen.Locator("#dokumente tbody tr", new() { HasText = "Bauantrag" }).GetByRole(AriaRole.Button, new() { Name = "Ansehen" }).ClickAsync();
            var page1 = citizen.Locator("#seite-bild");
            await Expect(page1).ToHaveAttributeAsync("alt", new Regex("^Seite 1 von 1 "));
            await Expect(citizen.Locator("#seite-anzeige")).ToHaveTextAsync("Seite 1 von 1");
            await Expect(citizen.GetByRole(AriaRole.Button, new() { Name = "Herunterladen (PDF)" })).ToBeHiddenAsync();
            await SaveAsync(citizen, "citizen-redacted-page.png");
            await page1.ScreenshotAsync(new() { Path = PortalHost.ArtifactPath("citizen-redacted-page-image.png") });

            var inside = await DarkShareAsync(page1, Box.Inset(0.01));
            var belowLine = await DarkShareAsync(page1, new Region(Box.Left, 0.16, Box.Right, 0.215));
            var outside = await DarkShareAsync(page1, Box.Inset(-0.01), outside: true);
            Assert.True(inside > 0.97, $"inside the box the page is black: {inside:P1} dark");
            Assert.True(belowLine is > 0.005 and < 0.4, $"the line below the box is readable text: {belowLine:P1} dark");
            Assert.True(outside < 0.03, $"outside the box the page is not blacked out: {outside:P1} dark");

            var history = await (await app.ClientFor("citizen").GetAsync("/api/citizen/access-history")).ReadAsync<JsonElement>();
            Assert.Contains(history.EnumerateArray(), r => r.GetProperty("page").GetInt32() == 1 && !r.GetProperty("download").GetBoolean());
            Assert.DoesNotContain(problems, p => p.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase));
            Assert.True(problems.Count == 0, string.Join('\n', problems));
        }
        catch
        {
            await SaveAsync(citizen, "failure-citizen.png");
            await SaveAsync(clerk, "failure-clerk.png");
            if (problems.Count > 0) await System.IO.File.WriteAllLinesAsync(PortalHost.ArtifactPath("failure-console.txt"), problems);
            throw;
        }
    }

    [Fact]
    public async Task The_pages_are_served_without_a_token_with_a_strict_content_security_policy()
    {
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = new Uri(host.BaseUrl) };

        var redirect = await http.GetAsync("/portal");
        Assert.Equal(System.Net.HttpStatusCode.Redirect, redirect.StatusCode);
        Assert.Equal("/portal/", redirect.Headers.Location?.OriginalString);
        foreach (var (path, type) in new[]
        {
            ("/portal/", "text/html"), ("/portal/sachbearbeitung.html", "text/html"), ("/portal/portal.css", "text/css"),
            ("/portal/portal.js", "text/javascript"), ("/portal/buerger.js", "text/javascript"), ("/portal/sachbearbeitung.js", "text/javascript"),
        })
        {
            var response = await http.GetAsync(path);
            Assert.True(response.IsSuccessStatusCode, $"{path}: {(int)response.StatusCode}");
            Assert.Equal(type, response.Content.Headers.ContentType?.MediaType);
            Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
            var csp = response.Headers.GetValues("Content-Security-Policy").Single();
            Assert.Contains("script-src 'self';", csp, StringComparison.Ordinal);
            Assert.DoesNotContain("unsafe-inline", csp, StringComparison.Ordinal);
        }

        var html = await http.GetStringAsync("/portal/");
        Assert.Contains("<html lang=\"de\">", html, StringComparison.Ordinal);
        Assert.DoesNotMatch(new Regex("<script(?![^>]*\\bsrc=)", RegexOptions.IgnoreCase), html);
        Assert.DoesNotMatch(new Regex("\\son[a-z]+=", RegexOptions.IgnoreCase), html);
        Assert.Equal(System.Net.HttpStatusCode.NotFound, (await http.GetAsync("/portal/%2E%2E%2Fappsettings.json")).StatusCode);
        Assert.Equal(System.Net.HttpStatusCode.NotFound, (await http.GetAsync("/portal/nichts.html")).StatusCode);
    }

    [Fact]
    public async Task Every_field_of_both_pages_has_a_label_and_every_action_is_a_button()
    {
        await using var context = await host.NewContextAsync();
        var page = await context.NewPageAsync();
        var errors = new List<string>();
        page.PageError += (_, e) => errors.Add(e);

        foreach (var path in new[] { "/portal/", "/portal/sachbearbeitung.html" })
        {
            await page.GotoAsync(path);
            Assert.Equal("de", await page.GetAttributeAsync("html", "lang"));
            var unlabelled = await page.EvaluateAsync<string[]>(
                """
                () => [...document.querySelectorAll('input, select, textarea')]
                  .filter(f => f.labels.length === 0 && !f.getAttribute('aria-label'))
                  .map(f => f.id || f.name)
                """);
            Assert.True(unlabelled.Length == 0, $"{path}: fields without a label: {string.Join(", ", unlabelled)}");
            Assert.Equal(0, await page.Locator("[onclick], a[href='#'], div[role=button], span[role=button]").CountAsync());
            Assert.Equal(1, await page.Locator("[aria-live]").CountAsync());

            // The first Tab reaches the skip link, and focus is visible.
            await page.Keyboard.PressAsync("Tab");
            Assert.Equal("Zum Inhalt springen", await page.EvaluateAsync<string>("() => document.activeElement.textContent"));
            Assert.NotEqual("none", await page.EvaluateAsync<string>("() => getComputedStyle(document.activeElement).outlineStyle"));
        }

        Assert.Empty(errors);
    }

    private static async Task SaveAsync(IPage page, string name)
    {
        try
        {
            await page.ScreenshotAsync(new() { Path = PortalHost.ArtifactPath(name), FullPage = true });
        }
        catch (PlaywrightException)
        {
            // A failure screenshot must not hide the failure itself.
        }
    }

    private static void AssertNear(double expected, double actual, string what) =>
        Assert.True(Math.Abs(expected - actual) <= 3, $"{what}: expected about {expected:F1} points, got {actual:F1}");

    /// <summary>
    /// Share of dark pixels of the image as the browser decoded it (natural size), inside <paramref name="region"/> or,
    /// with <paramref name="outside"/>, everywhere else on the page.
    /// </summary>
    private static Task<double> DarkShareAsync(ILocator image, Region region, bool outside = false) =>
        image.EvaluateAsync<double>(
            """
            (img, [left, top, right, bottom, outside]) => {
              const canvas = document.createElement('canvas');
              canvas.width = img.naturalWidth;
              canvas.height = img.naturalHeight;
              const g = canvas.getContext('2d');
              g.drawImage(img, 0, 0);
              const { data, width, height } = g.getImageData(0, 0, canvas.width, canvas.height);
              const [x0, x1, y0, y1] = [left * width, right * width, top * height, bottom * height].map(Math.round);
              let all = 0, dark = 0;
              for (let y = 0; y < height; y++) {
                for (let x = 0; x < width; x++) {
                  const inside = x >= x0 && x < x1 && y >= y0 && y < y1;
                  if (inside === outside) continue;
                  const i = (y * width + x) * 4;
                  all++;
                  if (0.299 * data[i] + 0.587 * data[i + 1] + 0.114 * data[i + 2] < 80) dark++;
                }
              }
              return all === 0 ? 0 : dark / all;
            }
            """,
            new object[] { region.Left, region.Top, region.Right, region.Bottom, outside });

    /// <summary>A rectangle as fractions of a page image, origin top left.</summary>
    private sealed record Region(double Left, double Top, double Right, double Bottom)
    {
        /// <summary>Shrunk by <paramref name="by"/> on every side (negative: grown).</summary>
        public Region Inset(double by) => new(Left + by, Top + by, Right - by, Bottom - by);
    }
}
