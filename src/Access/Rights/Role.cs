namespace Fieldlab.Access.Rights;

/// <summary>What a person is at the fieldlab; docs/access.md says what each may do.</summary>
public enum Role
{
    /// <summary>Belongs to a class at a site; reads the site's teaching rigs.</summary>
    Student,

    /// <summary>Teaches at a site: stages faults, re-baselines models, runs classes.</summary>
    Instructor,

    /// <summary>Works for an organisation running pilots; sees only its pilots' rigs inside their windows.</summary>
    CompanyMember,

    /// <summary>The fieldlab's operator: manages sites, rigs, organisations, pilots and users.</summary>
    Administrator,
}
