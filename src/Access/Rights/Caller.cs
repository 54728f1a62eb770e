namespace Fieldlab.Access.Rights;

/// <summary>Who is calling, as the rights table needs to know it: loaded from the metadata store on every request, so
/// that a changed role, membership or pilot takes effect at once.</summary>
/// <param name="UserId">Identity user id.</param>
/// <param name="UserName">Account name.</param>
/// <param name="Role">The person's role.</param>
/// <param name="SiteId">Site of a student or instructor.</param>
/// <param name="OrganisationId">Organisation of a company member.</param>
/// <param name="ClassIds">Classes a student is in.</param>
public sealed record Caller(string UserId, string UserName, Role Role, string? SiteId, string? OrganisationId, IReadOnlyList<int> ClassIds);
