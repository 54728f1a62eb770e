using Fieldlab.PredictiveMaintenance.Bearings;

namespace Fieldlab.PredictiveMaintenance.Tests.Bearings;

public sealed class BearingGeometryTests
{
    [Fact]
    public void Skf6205At1797Rpm_HasTheCwruDefectFrequencies()
    {
        // CWRU's published multiples of shaft speed for the 6205 drive-end bearing: BPFI 5.4152, BPFO 3.5848, FTF 0.39828, BSF 4.7135.
        double fr = 29.95;
        var f = BearingGeometry.Skf6205.At(fr);
        Assert.Equal(3.5848 * fr, f.Bpfo, 0.01);
        Assert.Equal(5.4152 * fr, f.Bpfi, 0.01);
        Assert.Equal(0.39828 * fr, f.Ftf, 0.01);
        Assert.Equal(4.7135 * fr, f.Bsf, 0.01);
    }

    [Fact]
    public void DefectFrequencies_ScaleWithShaftSpeed()
    {
        var a = BearingGeometry.Skf6205.At(10);
        var b = BearingGeometry.Skf6205.At(20);
        Assert.Equal(2 * a.Bpfo, b.Bpfo, 1e-12);
        Assert.Equal(2 * a.Ftf, b.Ftf, 1e-12);
        Assert.Equal(a.Bpfo + a.Bpfi, BearingGeometry.Skf6205.Balls * 10, 1e-9); // BPFO + BPFI = n·fr
    }
}
