namespace Fieldlab.Gateway.Simulation;

/// <summary>Seeded standard-normal noise (Box–Muller), so that a simulated rig is deterministic for a given seed.</summary>
public sealed class Gaussian(int seed)
{
    private readonly Random _random = new(seed);
    private double _spare;
    private bool _hasSpare;

    /// <summary>The uniform source, for simulators that also need uniform draws.</summary>
    public Random Uniform => _random;

    /// <summary>Next standard-normal value.</summary>
    public double Next()
    {
        if (_hasSpare)
        {
            _hasSpare = false;
            return _spare;
        }
        // Box & Muller (1958): two uniforms → two independent normals.
        double u1 = 1.0 - _random.NextDouble();
        double u2 = _random.NextDouble();
        double r = Math.Sqrt(-2.0 * Math.Log(u1));
        _spare = r * Math.Sin(2 * Math.PI * u2);
        _hasSpare = true;
        return r * Math.Cos(2 * Math.PI * u2);
    }

    /// <summary>A value with the given mean and standard deviation.</summary>
    public double Next(double mean, double sigma) => mean + sigma * Next();
}
