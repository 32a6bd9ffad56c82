using ECase.Projections.Search;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace ECase.Infrastructure.Search;

public static class SearchSetup
{
    /// <summary>The Lucene index (ADR 0012): its host, the indexer feeding it (unless Search:Indexing is false), the text source.</summary>
    public static IServiceCollection AddECaseSearch(this IServiceCollection services, IConfiguration config)
    {
        services.Configure<SearchOptions>(config.GetSection(SearchOptions.Section));
        services.AddSingleton<ISearchTextSource, SearchTextSource>();
        services.AddSingleton<SearchIndexHost>();
        if (config.GetValue(SearchOptions.Section + ":" + nameof(SearchOptions.Indexing), true)) services.AddHostedService<SearchIndexer>();
        return services;
    }
}
