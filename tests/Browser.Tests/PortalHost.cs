using ECase.Integration.Tests;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace ECase.Browser.Tests;

/// <summary>
/// The real API on Kestrel at a free loopback port (own schema and folders, as in the API tests) and one headless
/// Chromium from the Debian package, shared by the tests of a class; each test opens its own browser contexts.
/// </summary>
public sealed class PortalHost : IAsyncLifetime
{
    private IPlaywright? _playwright;
    private IBrowser? _browser;

    public ECaseApp App { get; } = new();

    public string BaseUrl { get; private set; } = "";

    public IBrowser Browser => _browser ?? throw new InvalidOperationException("not started");

    /// <summary>The Debian package's browser (./ecase.sh test installs it); ECASE_CHROMIUM names another.</summary>
    public static string Chromium
    {
        get
        {
            var path = Environment.GetEnvironmentVariable("ECASE_CHROMIUM") ?? "/usr/bin/chromium";
            Assert.True(System.IO.File.Exists(path), $"{path} is missing: apt-get install chromium (./ecase.sh test installs it)");
            return path;
        }
    }

    public async Task InitializeAsync()
    {
        foreach (var stale in System.IO.Directory.GetFiles(System.IO.Path.GetDirectoryName(ArtifactPath("x"))!, "failure-*"))
            System.IO.File.Delete(stale);
        App.UseKestrel(0);
        App.StartServer();
        BaseUrl = App.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new() { ExecutablePath = Chromium, Headless = true });
    }

    public async Task DisposeAsync()
    {
        if (_browser is not null) await _browser.DisposeAsync();
        _playwright?.Dispose();
        await App.DisposeAsync();
    }

    public Task<IBrowserContext> NewContextAsync() =>
        Browser.NewContextAsync(new() { BaseURL = BaseUrl, Locale = "de-DE", ViewportSize = new() { Width = 1280, Height = 1800 } });

    /// <summary>Screenshots go to ECASE_TEST_ARTIFACTS (./ecase.sh test: its results folder), else TestResults/browser in the checkout.</summary>
    public static string ArtifactPath(string name)
    {
        var dir = Environment.GetEnvironmentVariable("ECASE_TEST_ARTIFACTS") ?? System.IO.Path.Combine(RepositoryRoot(), "TestResults", "browser");
        System.IO.Directory.CreateDirectory(dir);
        return System.IO.Path.Combine(dir, name);
    }

    private static string RepositoryRoot()
    {
        for (var dir = new System.IO.DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (System.IO.File.Exists(System.IO.Path.Combine(dir.FullName, "ECase.sln"))) return dir.FullName;
        return AppContext.BaseDirectory;
    }
}
