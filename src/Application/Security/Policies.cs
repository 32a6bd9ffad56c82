using Microsoft.AspNetCore.Authorization;

namespace ECase.Application.Security;

/// <summary>Role-level authorization policies; what a role may see inside its scope is decided by <see cref="Access"/>.</summary>
public static class Policies
{
    public const string Staff = "staff";
    public const string FileWorkers = "file-workers";
    public const string Registrar = "registrar";
    public const string AuditReaders = "audit-readers";
    public const string Disposal = "disposal";
    public const string Archivist = "archivist";
    public const string Citizen = "citizen";

    public static void AddECasePolicies(this AuthorizationOptions options)
    {
        options.AddPolicy(Staff, p => p.RequireAuthenticatedUser().RequireRole(Roles.Staff));
        options.AddPolicy(FileWorkers, p => p.RequireAuthenticatedUser().RequireRole(Roles.FileWorkers));
        options.AddPolicy(Registrar, p => p.RequireAuthenticatedUser().RequireRole(Roles.Registrar));
        options.AddPolicy(AuditReaders, p => p.RequireAuthenticatedUser().RequireRole(Roles.Auditor, Roles.Clerk, Roles.Registrar));
        options.AddPolicy(Disposal, p => p.RequireAuthenticatedUser().RequireRole(Roles.Registrar, Roles.Archivist));
        options.AddPolicy(Archivist, p => p.RequireAuthenticatedUser().RequireRole(Roles.Archivist));
        options.AddPolicy(Citizen, p => p.RequireAuthenticatedUser().RequireRole(Roles.Citizen));
        options.FallbackPolicy = new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build();
    }
}
