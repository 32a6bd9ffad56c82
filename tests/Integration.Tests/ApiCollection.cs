namespace ECase.Integration.Tests;

/// <summary>All API tests share one host (one start, one Wolverine code generation); each test builds its own files.</summary>
[CollectionDefinition(Name)]
public sealed class ApiCollection : ICollectionFixture<ECaseApp>
{
    public const string Name = "api";
}
