namespace Fieldlab.Access.Store;

/// <summary>A class (group of students) at a site, created by an instructor.</summary>
public sealed class SchoolClass
{
    /// <summary>Class id.</summary>
    public int Id { get; set; }

    /// <summary>Site the class works at.</summary>
    public required string SiteId { get; set; }

    /// <summary>Name, unique per site (<c>class-1</c>).</summary>
    public required string Name { get; set; }

    /// <summary>User id of the instructor who created it.</summary>
    public string? CreatedBy { get; set; }

    /// <summary>Members.</summary>
    public List<ClassMember> Members { get; set; } = [];

    /// <summary>When it was created (UTC).</summary>
    public DateTime CreatedAt { get; set; }
}

/// <summary>A student in a class.</summary>
public sealed class ClassMember
{
    /// <summary>The class.</summary>
    public int ClassId { get; set; }

    /// <summary>The student's user id.</summary>
    public required string UserId { get; set; }
}

/// <summary>An invitation code with which students create their own account in a class. Only its hash is stored.</summary>
public sealed class ClassInvitation
{
    /// <summary>Invitation id (the code's public part).</summary>
    public required string Id { get; set; }

    /// <summary>The class the account joins.</summary>
    public int ClassId { get; set; }

    /// <summary>SHA-256 of the code's secret part.</summary>
    public required byte[] SecretHash { get; set; }

    /// <summary>Accounts that may still be created with it.</summary>
    public int UsesLeft { get; set; }

    /// <summary>After this it is void (UTC).</summary>
    public DateTime ExpiresAt { get; set; }

    /// <summary>Who made it (user id).</summary>
    public string? CreatedBy { get; set; }

    /// <summary>When it was made (UTC).</summary>
    public DateTime CreatedAt { get; set; }
}
