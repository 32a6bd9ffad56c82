using System.Diagnostics;
using System.Text;
using ECase.Infrastructure.Xdomea;

namespace ECase.Disposal.Tests;

/// <summary>
/// xdomea messages ECase writes validate against the official schemas (in .NET and with libxml2's xmllint, which
/// archives' ingest systems run); messages it reads are refused with a named problem when they are hostile or broken.
/// </summary>
public sealed class XdomeaReadingTests
{
    private static readonly XdomeaParty Agency = new("Stadt Musterstadt", "Hauptamt");
    private static readonly XdomeaParty Archive = new("Stadtarchiv Musterstadt");

    private static XdomeaReadResult Read(string xml) => XdomeaSchemas.Read(new System.IO.MemoryStream(Encoding.UTF8.GetBytes(xml)));

    private static string Receipt(XdomeaVersion version)
    {
        var message = XdomeaMessages.AppraisalReceived(Guid.NewGuid(), Agency, Archive, new DateTimeOffset(2026, 11, 29, 10, 0, 0, TimeSpan.Zero), version);
        return message.Declaration + "\n" + message.Root;
    }

    [Theory]
    [InlineData(XdomeaVersion.V3_1_0)]
    [InlineData(XdomeaVersion.V3_0_0)]
    public void A_receipt_ECase_writes_is_schema_valid_in_both_versions(XdomeaVersion version)
    {
        var result = Read(Receipt(version));
        Assert.True(result.Ok, string.Join("\n", result.Problems.Select(p => $"{p.Line}:{p.Position} {p.Message}")));
        Assert.Equal(version, result.Version);
        Assert.Equal("Aussonderung.BewertungEmpfangBestaetigen.0505", result.MessageType);
        Assert.Equal(XdomeaSchemas.Prefix, result.Document!.Root!.GetPrefixOfNamespace(XdomeaSchemas.Namespace(version)));
    }

    [Theory]
    [InlineData(XdomeaVersion.V3_1_0)]
    [InlineData(XdomeaVersion.V3_0_0)]
    public void Xmllint_accepts_the_receipt_against_the_official_schema(XdomeaVersion version)
    {
        var file = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"ecase-0505-{Guid.NewGuid():N}.xml");
        System.IO.File.WriteAllText(file, Receipt(version));
        try
        {
            var schema = System.IO.Path.Combine(XdomeaSchemas.Folder, XdomeaSchemas.VersionNumber(version), "xdomea-Nachrichten-AussonderungDurchfuehren.xsd");
            var (code, output) = Run("xmllint", "--noout", "--schema", schema, file);
            Assert.True(code == 0, output);
            Assert.Contains("validates", output, StringComparison.Ordinal);
        }
        finally
        {
            System.IO.File.Delete(file);
        }
    }

    [Fact]
    public void A_schema_invalid_message_names_the_problem_with_its_line()
    {
        var xml = Receipt(XdomeaVersion.V3_1_0).Replace("<xdomea:ProzessID>", "<xdomea:ProzessIDX>", StringComparison.Ordinal)
            .Replace("</xdomea:ProzessID>", "</xdomea:ProzessIDX>", StringComparison.Ordinal);
        var result = Read(xml);
        Assert.False(result.Ok);
        var problem = Assert.Single(result.Problems);
        Assert.Equal("xdomea-schema-invalid", problem.Code);
        Assert.Contains("ProzessIDX", problem.Message, StringComparison.Ordinal);
        Assert.True(problem.Line > 0);
    }

    [Theory]
    [InlineData("""<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><r>&x;</r>""")]
    [InlineData("""<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]><r>&c;</r>""")]
    [InlineData("""<?xml version="1.0"?><!DOCTYPE r SYSTEM "http://127.0.0.1:9/evil.dtd"><r/>""")]
    public void A_message_with_a_DTD_or_entities_is_refused_before_anything_is_resolved(string xml)
    {
        var problem = Assert.Single(Read(xml).Problems);
        Assert.Equal("xml-doctype-refused", problem.Code);
    }

    [Theory]
    [InlineData("<xdomea:Aussonderung.BewertungEmpfangBestaetigen.0505 xmlns:xdomea=\"urn:xoev-de:xdomea:schema:3.1.0\"><xdomea:Kopf>")]
    [InlineData("")]
    [InlineData("PK\u0003\u0004 this is a zip, not xml")]
    public void A_message_that_is_not_well_formed_is_refused(string xml) =>
        Assert.Equal("xml-not-well-formed", Assert.Single(Read(xml).Problems).Code);

    [Fact]
    public void A_message_of_another_version_is_refused_by_name()
    {
        var xml = Receipt(XdomeaVersion.V3_1_0).Replace("schema:3.1.0", "schema:4.0.0", StringComparison.Ordinal);
        Assert.Equal("xdomea-version-unsupported", Assert.Single(Read(xml).Problems).Code);
    }

    private static (int Code, string Output) Run(string tool, params string[] args)
    {
        var start = new ProcessStartInfo(tool) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) start.ArgumentList.Add(a);
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{tool} did not start");
        var output = process.StandardOutput.ReadToEnd() + process.StandardError.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, output);
    }
}
