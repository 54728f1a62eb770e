using Fieldlab.Access.Store;

namespace Fieldlab.Api.Tenancy;

/// <summary>A pilot as the API shows it.</summary>
public sealed record PilotView(int Id, string Name, string Organisation, DateTime Start, DateTime? End, bool SharedWithInstructors, IReadOnlyList<string> Rigs, bool Running)
{
    /// <summary>The view of a pilot at <paramref name="now"/>.</summary>
    public static PilotView From(Pilot p, DateTime now) => new(p.Id, p.Name, p.OrganisationId, p.Start, p.End, p.SharedWithInstructors,
        [.. p.Rigs.Select(r => $"{r.SiteId}/{r.RigId}").Order(StringComparer.Ordinal)], p.Start <= now && (p.End is null || now < p.End));
}
