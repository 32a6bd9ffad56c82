using System.Text.RegularExpressions;

namespace ECase.Infrastructure.Persistence;

/// <summary>The PostgreSQL schema holding this deployment's (or this test host's) events, documents and tables.</summary>
public sealed partial record StoreSchema
{
    public StoreSchema(string name)
    {
        if (!Identifier().IsMatch(name)) throw new ArgumentException($"'{name}' is not a plain lower-case schema name.", nameof(name));
        Name = name;
    }

    public string Name { get; }

    [GeneratedRegex("^[a-z_][a-z0-9_]{0,40}$")]
    private static partial Regex Identifier();
}
