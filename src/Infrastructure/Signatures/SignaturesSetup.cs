using ECase.Application.Integrity;
using ECase.Application.Signatures;
using ECase.Infrastructure.Integrity;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace ECase.Infrastructure.Signatures;

public static class SignaturesSetup
{
    /// <summary>Signature verification, the server signing key, and tamper evidence (hash chains, seals, verify).</summary>
    public static IServiceCollection AddECaseSignaturesAndIntegrity(this IServiceCollection services, IConfiguration config)
    {
        services.Configure<SignatureOptions>(config.GetSection(SignatureOptions.Section));
        services.Configure<ServerKeyOptions>(config.GetSection(ServerKeyOptions.Section));
        services.Configure<IntegrityOptions>(config.GetSection(IntegrityOptions.Section));
        services.AddSingleton<ISignatureVerifier, CmsSignatureVerifier>();
        services.AddSingleton<IServerSigner, ServerSigner>();
        services.AddSingleton<IntegritySql>();
        services.AddSingleton<IntegrityService>();
        services.AddSingleton<IIntegrityService>(sp => sp.GetRequiredService<IntegrityService>());
        services.AddHostedService<IntegrityJobs>();
        return services;
    }
}
