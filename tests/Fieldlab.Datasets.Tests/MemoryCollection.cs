namespace Fieldlab.Datasets.Tests;

/// <summary>Tests that bound the live heap: GC.GetTotalMemory counts the whole process, so they run alone, never
/// beside another test class that allocates at the same time.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class MemoryCollection
{
    /// <summary>The collection's name.</summary>
    public const string Name = "memory";
}
