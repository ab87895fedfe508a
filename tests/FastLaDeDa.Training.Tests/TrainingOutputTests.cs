using System.Text.Json;
using FastLaDeDa.Detection;
using FastLaDeDa.Evaluation;
using FastLaDeDa.Models;
using FastLaDeDa.Tests.Support;
using FastLaDeDa.Training.Export;
using FastLaDeDa.Training.Models;
using FastLaDeDa.Training.Tests.Support;
using FastLaDeDa.Training.Training;
using FastLaDeDa.Weights;

namespace FastLaDeDa.Training.Tests;

/// <summary>What a finished run leaves behind: the exported model with its training metadata, the metrics CSV and the curves PNG.</summary>
public class TrainingOutputTests
{
    [Fact]
    public void Exported_tiny_model_carries_the_training_metadata_and_loads_into_the_detector()
    {
        using var temp = new TempDirectory();
        var train = TrainingFixtures.Dataset(perClass: 4, size: 40, seed: 8);
        var val = TrainingFixtures.Dataset(perClass: 2, size: 40, seed: 9);
        TrainingSeeds.SeedInitialWeights(7);
        using var net = ResNetInitialization.Apply(new TinyLaDeDaNet());
        var options = TrainingFixtures.Options(temp.Path, crop: 32, maxEpochs: 2, learningRate: 1e-2);
        using var trainer = new ClassifierTrainer("train-tiny", net, ImageLossKind.PooledBce, options, train, val, TextWriter.Null);
        var outcome = trainer.Run(new Dictionary<string, string> { ["command"] = "test" });

        var dict = SafeTensors.Read(outcome.ModelPath);
        var m = dict.Metadata;
        Assert.Equal("tiny_ladeda", m["model"]);
        Assert.Equal("right_diag", m["preprocess"]);
        Assert.Equal("mean", m["pooling"]);
        Assert.Equal("train-tiny", m["task"]);
        Assert.Equal("7", m["seed"]);
        Assert.Equal("2", m["epochs"]);
        Assert.Equal(outcome.BestEpoch.ToString(System.Globalization.CultureInfo.InvariantCulture), m["best_epoch"]);
        Assert.Equal("test", m["command"]);
        Assert.Equal("none", m["augmentation"]);
        Assert.Equal(train.Summary.FileListSha256, m["training_files_sha256"]);
        Assert.False(string.IsNullOrEmpty(m["git_commit"]));
        using (var summary = JsonDocument.Parse(m["training_data"]))
        {
            Assert.Equal(4, summary.RootElement.GetProperty("real").GetInt32());
            Assert.Equal(4, summary.RootElement.GetProperty("sources").GetProperty("synth_fake")[1].GetInt32());
            Assert.Equal(train.Summary.FileListSha256, summary.RootElement.GetProperty("file_list_sha256").GetString());
        }
        double valAcc = double.Parse(m["val_acc"], System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(outcome.Best.ValidationAccuracy, valAcc, 4);
        Assert.All(dict.Tensors.Values.Where(t => t.DType != TensorDType.Int64), t => Assert.Equal(TensorDType.Float32, t.DType));

        using var detector = Detector.Load(outcome.ModelPath);
        Assert.Equal(new ModelMetadata(ModelKind.TinyLaDeDa, FastLaDeDa.Preprocessing.PreprocessKind.RightDiag, PoolingKind.Mean), detector.Metadata);
        // The threshold and temperature fitted on the validation logits, read back by the library.
        Assert.Equal(double.Parse(m["temperature"], System.Globalization.CultureInfo.InvariantCulture), detector.Temperature);
        Assert.InRange(detector.Temperature, 0.01, 100);
        Assert.Equal(double.Parse(m["threshold"], System.Globalization.CultureInfo.InvariantCulture), detector.Threshold);
        // ... on the validation images as detect scores them (whole images resized to 256², not the trainer's crops):
        // what `fastladeda calibrate` on the same images would store.
        double[] engineLogits = val.Images.Select(i => detector.Score(i.Image).Logit).ToArray();
        var expected = ThresholdCalibration.Fit(engineLogits, val.Images.Select(i => i.IsFake).ToArray());
        Assert.Equal(expected.Probability, detector.Threshold);
        Assert.Equal(expected.Temperature, detector.Temperature);
        Assert.EndsWith(EnginePathScores.Rule, m["threshold_rule"], StringComparison.Ordinal);
        Assert.Equal("1", m["source_power"]);

        string[] csv = File.ReadAllLines(Path.Combine(temp.Path, EpochTrainer.MetricsFile));
        Assert.Equal(MetricsCsv.Header, csv[0]);
        Assert.Equal(3, csv.Length);
        Assert.StartsWith("2,", csv[2], StringComparison.Ordinal);
        byte[] png = File.ReadAllBytes(Path.Combine(temp.Path, EpochTrainer.CurvesFile));
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], png[..4]);
    }

    [Fact]
    public void GitInfo_names_a_commit_inside_a_checkout_and_unknown_outside()
    {
        string inside = GitInfo.Commit(SharedData.RepoRoot);
        Assert.Matches("^([0-9a-f]{40}(-dirty)?|unknown)$", inside);
        using var temp = new TempDirectory();
        Assert.Equal("unknown", GitInfo.Commit(temp.Path));
    }
}
