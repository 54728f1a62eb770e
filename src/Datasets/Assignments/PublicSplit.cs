using System.Text;

namespace Fieldlab.Datasets.Assignments;

/// <summary>Which keys count for the public leaderboard and which for the private one: a hash of the seed, the rig and
/// the key's window (the block of <see cref="TaskSpec.WindowNs"/> it lies in) falls below <see cref="Share"/>. Deterministic,
/// so that every submission is scored on the same parts; by window, so that detection's contiguous fault runs are not
/// cut into single samples (classification and RUL keys are one per window anyway).</summary>
public sealed class PublicSplit(TaskSpec task, int seed, double share)
{
    /// <summary>Share of the windows that are public, 0–1.</summary>
    public double Share { get; } = share is > 0 and < 1 ? share : throw new ArgumentOutOfRangeException(nameof(share), "the public share lies strictly between 0 and 1");

    /// <summary>True when <paramref name="key"/> is scored on the public leaderboard.</summary>
    public bool IsPublic(GridKey key)
    {
        ulong block = (ulong)((key.TimeNs - task.FromNs) / task.WindowNs);
        ulong h = Mix(Fnv1a(key.Rig) ^ Mix((ulong)(uint)seed ^ Mix(block)));
        // The top 53 bits as a uniform number in [0, 1).
        return (h >> 11) * (1.0 / (1UL << 53)) < Share;
    }

    // FNV-1a, 64 bit (Fowler, Noll, Vo; IETF draft-eastlake-fnv).
    private static ulong Fnv1a(string text)
    {
        ulong h = 14695981039346656037UL;
        foreach (byte b in Encoding.UTF8.GetBytes(text)) h = (h ^ b) * 1099511628211UL;
        return h;
    }

    // SplitMix64's finaliser (Steele, Lea, Flood, "Fast splittable pseudorandom number generators", OOPSLA 2014).
    private static ulong Mix(ulong z)
    {
        z += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
