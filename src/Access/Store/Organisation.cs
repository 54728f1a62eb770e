namespace Fieldlab.Access.Store;

/// <summary>An MKB company (or other organisation) that runs pilots on the fieldlab's rigs.</summary>
public sealed class Organisation
{
    /// <summary>Organisation id (<c>a-z 0-9 -</c>, e.g. <c>pilot-a</c>).</summary>
    public required string Id { get; set; }

    /// <summary>Name people read.</summary>
    public string Name { get; set; } = "";

    /// <summary>When it was registered (UTC).</summary>
    public DateTime CreatedAt { get; set; }
}
