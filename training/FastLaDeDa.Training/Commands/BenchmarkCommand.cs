using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using FastLaDeDa.Training.Data;
using FastLaDeDa.Training.Distillation;
using FastLaDeDa.Training.Models;
using FastLaDeDa.Training.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace FastLaDeDa.Training.Commands;

/// <summary>
/// <c>benchmark [--crops 64,96,128] [--steps N]</c>: training throughput on this machine, on random
/// pixels (the data pipeline is not timed): LaDeDa training steps (batch 32) per crop, the teacher's
/// patch-map extraction at 224, Tiny-LaDeDa training on 224 crops and the distillation step
/// (batch 729 patches) — to choose a budget before a long run.
/// </summary>
internal static class BenchmarkCommand
{
    public static Command Create()
    {
        var crops = new Option<string>("--crops") { Description = "LaDeDa training crops to time, comma-separated.", DefaultValueFactory = _ => "64,96,128" };
        var steps = new Option<int>("--steps") { Description = "Timed steps per measurement (after one warm-up step).", DefaultValueFactory = _ => 3 };
        var batch = new Option<int>("--batch-size") { Description = "LaDeDa/Tiny batch size.", DefaultValueFactory = _ => 32 };
        var command = new Command("benchmark", "Measure training throughput (images/s) on this machine.") { crops, steps, batch };
        command.SetAction(parse => CommandErrors.Run(() =>
        {
            int n = parse.GetValue(steps), b = parse.GetValue(batch);
            Console.WriteLine($"libtorch {torch.__version__}, {torch.get_num_threads()} threads, batch {b}, {n} timed steps after 1 warm-up");
            foreach (string text in parse.GetValue(crops)!.Split(',', StringSplitOptions.RemoveEmptyEntries))
            {
                int crop = int.Parse(text, CultureInfo.InvariantCulture);
                using var net = new LaDeDaNet();
                Report($"LaDeDa9 training, crop {crop}", b, TimeTraining(net, b, crop, n), "img/s");
            }
            using (var teacher = new LaDeDaNet())
                Report("LaDeDa9 teacher maps, crop 224 (eval, batch 8)", 8, TimeInference(teacher, 8, 224, n), "img/s");
            using (var tiny = new TinyLaDeDaNet())
                Report("Tiny-LaDeDa training, crop 224", b, TimeTraining(tiny, b, 224, n), "img/s");
            using (var student = new TinyLaDeDaNet())
                Report("Tiny-LaDeDa distillation, batch 729 patches", 729, TimeDistillation(student, n), "patches/s");
            return 0;
        }));
        return command;
    }

    private static void Report(string what, int batch, double secondsPerStep, string unit) =>
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{what}: {batch / secondsPerStep:F1} {unit} ({1000 * secondsPerStep:F0} ms per step of {batch})"));

    private static double TimeTraining(PatchLogitNet net, int batch, int crop, int steps)
    {
        using var optimizer = optim.Adam(net.parameters(), 2e-4);
        using var pixels = randint(0, 256, [batch, crop, crop, 3], dtype: ScalarType.Byte);
        using var labels = tensor(Enumerable.Range(0, batch).Select(i => (float)(i % 2)).ToArray());
        net.train();
        return Time(steps, () =>
        {
            using var scope = NewDisposeScope();
            Tensor loss = ClassifierTrainer.Loss(net.forward(TorchPreprocessing.Normalize(pixels)), labels, ImageLossKind.PooledBce);
            optimizer.zero_grad();
            loss.backward();
            optimizer.step();
        });
    }

    private static double TimeInference(PatchLogitNet net, int batch, int crop, int steps)
    {
        using var pixels = randint(0, 256, [batch, crop, crop, 3], dtype: ScalarType.Byte);
        net.eval();
        return Time(steps, () =>
        {
            using var scope = NewDisposeScope();
            using var noGrad = no_grad();
            net.forward(TorchPreprocessing.Normalize(pixels));
        });
    }

    private static double TimeDistillation(TinyLaDeDaNet net, int steps)
    {
        using var optimizer = optim.Adam(net.parameters(), 2e-4);
        using var patches = randn(729, 3, 9, 9);
        using var targets = randn(729);
        net.train();
        return Time(steps, () =>
        {
            using var scope = NewDisposeScope();
            Tensor loss = nn.functional.mse_loss(StudentPatches.Logits(net, patches, StudentPatchMode.Exact), targets);
            optimizer.zero_grad();
            loss.backward();
            optimizer.step();
        });
    }

    private static double Time(int steps, Action step)
    {
        step();
        var clock = Stopwatch.StartNew();
        for (int i = 0; i < steps; i++) step();
        return clock.Elapsed.TotalSeconds / Math.Max(steps, 1);
    }
}
