using Fieldlab.Access.Rights;

namespace Fieldlab.Api.Tests.Access;

/// <summary>Who calls, in the matrix: nobody, a person of the <see cref="MatrixTenancy"/> with valid credentials, or
/// credentials that must be refused.</summary>
/// <param name="Name">How the matrix names the caller.</param>
/// <param name="Person">The person whose rights apply (the tenancy's name), or null for anonymous and refused credentials.</param>
/// <param name="Role">The person's role.</param>
/// <param name="Site">The person's site.</param>
/// <param name="Organisation">The person's organisation.</param>
/// <param name="Token">What goes after <c>Bearer</c>, or null for no Authorization header.</param>
/// <param name="Refused">True for credentials the API must refuse (expired, revoked, tampered, wrongly signed).</param>
public sealed record MatrixCaller(string Name, string? Person, Role? Role, string? Site, string? Organisation, string? Token, bool Refused)
{
    /// <inheritdoc />
    public override string ToString() => Name;
}
