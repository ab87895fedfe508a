using System.CommandLine;
using System.Globalization;
using System.Security.Cryptography;
using FastLaDeDa.Preprocessing;
using FastLaDeDa.Training.Distillation;
using FastLaDeDa.Training.Export;
using FastLaDeDa.Training.Models;
using FastLaDeDa.Training.Training;
using FastLaDeDa.Weights;

namespace FastLaDeDa.Training.Commands;

/// <summary>
/// <c>distill --teacher LADEDA.safetensors --out DIR [--preprocess right_diag] [--patch-mode exact|official] [--teacher-passes 1] ...</c>:
/// Tiny-LaDeDa trained to reproduce the teacher's patch logits (MSE, Adam lr 2e-4, batch 729).
/// </summary>
internal static class DistillCommand
{
    public static Command Create()
    {
        var common = new TrainingCommandOptions();
        var teacherPath = new Option<string>("--teacher") { Description = "The trained LaDeDa (.safetensors from train-ladeda).", Required = true, HelpName = "file" };
        var preprocess = new Option<string>("--preprocess") { Description = "The student's preprocessing.", DefaultValueFactory = _ => "right_diag" };
        var mode = new Option<string>("--patch-mode") { Description = "exact (default: the student's filter sees the pixels it sees at inference) or official (10x10 raw patches, own zero padding).", DefaultValueFactory = _ => "exact" };
        var passes = new Option<int>("--teacher-passes") { Description = "Random teacher crops per training image (1 in the paper).", DefaultValueFactory = _ => 1 };
        var command = new Command(DistillationTrainer.Name, "Distil Tiny-LaDeDa from a trained LaDeDa's patch logits.") { teacherPath, preprocess, mode, passes };
        common.AddTo(command);
        command.SetAction(parse => CommandErrors.Run(() =>
        {
            var kind = TrainLaDeDaCommand.ParsePreprocess(parse.GetValue(preprocess)!);
            var patchMode = parse.GetValue(mode) switch
            {
                "exact" => StudentPatchMode.Exact,
                "official" => StudentPatchMode.Official,
                var other => throw new ArgumentException($"--patch-mode '{other}': expected exact or official"),
            };
            if (parse.GetValue(passes) < 1) throw new ArgumentException("--teacher-passes: expected at least 1");
            var options = common.Read(parse, defaultBatchSize: 729, float16: false);
            // Distillation draws patches from the teacher's maps, not balanced image batches.
            if (options.SourcePower != 1) throw new ArgumentException("--source-power applies to train-tiny and train-ladeda, not distill");
            if (options.Augmentation.SyntheticFakeProbability > 0) throw new ArgumentException("--synthetic-fakes applies to train-tiny and train-ladeda, not distill (the teacher's patch logits, not labels, are its targets)");
            if (parse.GetValue(common.Init) is not null) throw new ArgumentException("--init applies to train-tiny and train-ladeda, not distill");
            string path = parse.GetValue(teacherPath)!;
            using var teacher = TorchStateDict.LoadLaDeDa(WeightsFile.Load(path));
            string teacherSha = Sha256Hex(path);
            var (train, validation) = common.LoadData(parse, Console.Out);
            TrainingSeeds.SeedInitialWeights(options.Seed);
            using var student = ResNetInitialization.Apply(new TinyLaDeDaNet(kind));
            var settings = new DistillationSettings(patchMode, parse.GetValue(passes));
            Console.WriteLine($"teacher {teacher.DisplayName} ({teacher.Preprocess.ToName()}) from {path}; student {student.DisplayName} ({student.Preprocess.ToName()}); " +
                              $"crop {options.Crop}, batch {options.BatchSize}, patches {patchMode}, teacher passes {settings.TeacherPasses}, augmentation {options.Augmentation}");
            using var trainer = new DistillationTrainer(student, teacher, teacherSha, settings, options, train, validation, Console.Out);
            trainer.Run(CommandLine.Metadata(parse, 
                ("teacher", Path.GetFileName(path)),
                ("teacher_sha256", teacherSha),
                ("teacher_model", teacher.DisplayName),
                ("patch_mode", patchMode.ToString().ToLowerInvariant()),
                ("teacher_passes", settings.TeacherPasses.ToString(CultureInfo.InvariantCulture))));
            return 0;
        }));
        return command;
    }

    // Streamed: the teacher file was already read once to load it, no need to hold a second copy in memory.
    private static string Sha256Hex(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }
}
