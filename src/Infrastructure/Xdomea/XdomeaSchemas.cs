using System.Collections.Concurrent;
using System.Xml;
using System.Xml.Linq;
using System.Xml.Schema;

namespace ECase.Infrastructure.Xdomea;

public enum XdomeaVersion
{
    V3_0_0,
    V3_1_0,
}

/// <summary>One problem found in an xdomea message: what, and where (line and position, 0 if unknown).</summary>
public sealed record XdomeaProblem(string Code, string Message, int Line, int Position);

/// <summary>The outcome of reading a message: the document and its version, or the problems that refused it.</summary>
public sealed record XdomeaReadResult(XDocument? Document, XdomeaVersion? Version, string? MessageType, IReadOnlyList<XdomeaProblem> Problems)
{
    public bool Ok => Problems.Count == 0 && Document is not null;
}

/// <summary>
/// The official xdomea schemas (3.0.0 and 3.1.0, vendored in Xdomea/Schemas) and a reader that refuses what an
/// archive's message must never do to us: DTDs and entities (no XXE, no entity expansion), external references,
/// oversized documents, anything not well-formed or not schema-valid, versions we do not read.
/// </summary>
public static class XdomeaSchemas
{
    public const string Prefix = "xdomea";
    public const long MaxMessageChars = 64L * 1024 * 1024;

    private static readonly ConcurrentDictionary<XdomeaVersion, XmlSchemaSet> Sets = new();

    public static string VersionNumber(XdomeaVersion version) => version switch
    {
        XdomeaVersion.V3_0_0 => "3.0.0",
        _ => "3.1.0",
    };

    public static XNamespace Namespace(XdomeaVersion version) => $"urn:xoev-de:xdomea:schema:{VersionNumber(version)}";

    public static XdomeaVersion? VersionOf(XNamespace ns) =>
        ns == Namespace(XdomeaVersion.V3_1_0) ? XdomeaVersion.V3_1_0 : ns == Namespace(XdomeaVersion.V3_0_0) ? XdomeaVersion.V3_0_0 : null;

    public static string Folder => System.IO.Path.Combine(AppContext.BaseDirectory, "Xdomea", "Schemas");

    /// <summary>The compiled schemas of the disposal and hand-over messages of one version (loaded once).</summary>
    public static XmlSchemaSet For(XdomeaVersion version) => Sets.GetOrAdd(version, v =>
    {
        var set = new XmlSchemaSet { XmlResolver = new LocalFilesResolver(Folder) };
        var dir = System.IO.Path.Combine(Folder, VersionNumber(v));
        foreach (var file in new[] { "xdomea-Nachrichten-AussonderungDurchfuehren.xsd", "xdomea-Nachrichten-AbgabeDurchfuehren.xsd" })
        {
            using var reader = XmlReader.Create(System.IO.Path.Combine(dir, file), new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null });
            set.Add(null, reader);
        }

        set.Compile();
        return set;
    });

    /// <summary>Reads and validates a message. Never resolves anything outside the message; never throws for bad input.</summary>
    public static XdomeaReadResult Read(System.IO.Stream message)
    {
        var problems = new List<XdomeaProblem>();
        XDocument document;
        var settings = new XmlReaderSettings
        {
            DtdProcessing = DtdProcessing.Prohibit,
            XmlResolver = null,
            MaxCharactersFromEntities = 0,
            MaxCharactersInDocument = MaxMessageChars,
            IgnoreComments = true,
        };
        try
        {
            using var reader = XmlReader.Create(message, settings);
            document = XDocument.Load(reader, LoadOptions.SetLineInfo);
        }
        catch (XmlException e) when (e.Message.Contains("DTD", StringComparison.OrdinalIgnoreCase))
        {
            return Refused("xml-doctype-refused", "The message contains a DOCTYPE (DTD); xdomea messages have none and ECase does not process them (no entities, no external references).", e);
        }
        catch (XmlException e)
        {
            return Refused("xml-not-well-formed", $"The message is not well-formed XML: {e.Message}", e);
        }

        var root = document.Root!;
        if (VersionOf(root.Name.Namespace) is not { } version)
        {
            return new XdomeaReadResult(null, null, null,
                [new XdomeaProblem("xdomea-version-unsupported", $"The root element's namespace '{root.Name.NamespaceName}' is not xdomea 3.0.0 or 3.1.0.", 1, 1)]);
        }

        document.Validate(For(version), (_, e) =>
        {
            if (e.Severity == XmlSeverityType.Error) problems.Add(new XdomeaProblem("xdomea-schema-invalid", e.Message, e.Exception?.LineNumber ?? 0, e.Exception?.LinePosition ?? 0));
        });
        return new XdomeaReadResult(problems.Count == 0 ? document : null, version, root.Name.LocalName, problems);

        static XdomeaReadResult Refused(string code, string message, XmlException e) => new(null, null, null, [new XdomeaProblem(code, message, e.LineNumber, e.LinePosition)]);
    }

    /// <summary>Resolves the schemas' own includes and imports inside the schema folder, and nothing else.</summary>
    private sealed class LocalFilesResolver(string root) : XmlResolver
    {
        private readonly string _root = System.IO.Path.GetFullPath(root) + System.IO.Path.DirectorySeparatorChar;

        public override object? GetEntity(Uri absoluteUri, string? role, Type? ofObjectToReturn)
        {
            var path = System.IO.Path.GetFullPath(absoluteUri.LocalPath);
            if (!absoluteUri.IsFile || !path.StartsWith(_root, StringComparison.Ordinal))
                throw new XmlException($"Schema reference outside the xdomea schema folder refused: {absoluteUri}");
            return System.IO.File.OpenRead(path);
        }
    }
}
