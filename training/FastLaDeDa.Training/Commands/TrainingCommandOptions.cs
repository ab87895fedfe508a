using System.CommandLine;
using System.Globalization;
using FastLaDeDa.Training.Data;
using FastLaDeDa.Training.Training;

namespace FastLaDeDa.Training.Commands;

/// <summary>The options every training command shares, and how they become <see cref="TrainingOptions"/>.</summary>
internal sealed class TrainingCommandOptions
{
    public Option<string> Data { get; } = new("--data") { Description = "Data root holding train/ and val/ in the WildRF layout (default: ../shared/data, found walking up from the current folder, or $FASTLADEDA_SHARED/data).", DefaultValueFactory = _ => SharedDataLocator.DefaultDataRoot(), HelpName = "dir" };
    public Option<string> Output { get; } = new("--out", "-o") { Description = "Output folder: checkpoints, metrics.csv, curves.png, model.safetensors.", Required = true, HelpName = "dir" };
    public Option<int> Crop { get; } = new("--crop") { Description = "Random training crop side (smaller is faster; the task stays per patch).", DefaultValueFactory = _ => 224 };
    public Option<int> ValidationCrop { get; } = new("--val-crop") { Description = "Centre validation crop side (256 = the whole image).", DefaultValueFactory = _ => 224 };
    public Option<int> BatchSize { get; } = new("--batch-size") { Description = "Images per step." };
    public Option<double> LearningRate { get; } = new("--lr") { Description = "Adam's initial learning rate.", DefaultValueFactory = _ => 2e-4 };
    public Option<int> Patience { get; } = new("--patience") { Description = "Epochs without validation-accuracy gain before lr x factor.", DefaultValueFactory = _ => 5 };
    public Option<double> LearningRateFactor { get; } = new("--lr-factor") { Description = "Learning-rate factor on a plateau.", DefaultValueFactory = _ => 0.9 };
    public Option<double> MinLearningRate { get; } = new("--min-lr") { Description = "Stop when the learning rate would fall below this.", DefaultValueFactory = _ => 1e-6 };
    public Option<int> MaxEpochs { get; } = new("--max-epochs") { Description = "At most this many epochs.", DefaultValueFactory = _ => 100 };
    public Option<long> Seed { get; } = new("--seed") { Description = "Seed of every random decision and of the initial weights.", DefaultValueFactory = _ => 42 };
    public Option<string?> Init { get; } = new("--init") { Description = "Start from these weights (.safetensors or an official .pth of the same model and preprocessing) instead of a random initialisation: fine-tuning. The optimizer and schedule start afresh.", HelpName = "file" };
    public Option<string?> Resume { get; } = new("--resume") { Description = "Continue from a checkpoint (last.ckpt of an earlier run).", HelpName = "file" };
    public Option<int?> Limit { get; } = new("--limit") { Description = "Use at most N images per class of each split (quick trials).", HelpName = "N" };
    public Option<int?> Threads { get; } = new("--threads") { Description = "libtorch threads (default: one per core).", HelpName = "N" };
    public Option<double> Jpeg { get; } = new("--jpeg") { Description = "Probability of re-encoding a training image (both classes) as JPEG.", DefaultValueFactory = _ => 0 };
    public Option<string> JpegQuality { get; } = new("--jpeg-quality") { Description = "JPEG quality range MIN-MAX.", DefaultValueFactory = _ => "60-100" };
    public Option<double> Blur { get; } = new("--blur") { Description = "Probability of a Gaussian blur.", DefaultValueFactory = _ => 0 };
    public Option<string> BlurSigma { get; } = new("--blur-sigma") { Description = "Blur sigma range MIN-MAX (pixels).", DefaultValueFactory = _ => "0.1-2" };
    public Option<double> ResizedCrop { get; } = new("--resized-crop") { Description = "Probability of a random resized crop.", DefaultValueFactory = _ => 0 };
    public Option<double> ResizedCropScale { get; } = new("--resized-crop-scale") { Description = "Smallest area fraction of a resized crop.", DefaultValueFactory = _ => 0.5 };
    public Option<double> Rescale { get; } = new("--rescale") { Description = "Probability of shrinking an image to a random side (JPEG there when --jpeg applies) and enlarging it back.", DefaultValueFactory = _ => 0 };
    public Option<double> RescaleMin { get; } = new("--rescale-min") { Description = "Smallest side of a rescale, as a fraction.", DefaultValueFactory = _ => 0.5 };
    public Option<double> SyntheticFakes { get; } = new("--synthetic-fakes") { Description = "Probability that a fake in a batch is replaced by a training real given a generator's up-sampling trace (halved, nearest-neighbour 2x, random 3x3 smoothing), still labelled fake.", DefaultValueFactory = _ => 0 };
    public Option<string[]> Extra { get; } = new("--extra") { Description = "More training folders in the WildRF layout (e.g. the output of stage-extra); repeatable. Sources are the file-name prefixes before '__'.", HelpName = "dir", AllowMultipleArgumentsPerToken = false };
    public Option<string?> Holdout { get; } = new("--holdout") { Description = "Comma-separated sources held out of training as the validation set (whole sources; replaces val/, which then trains).", HelpName = "sources" };
    public Option<double> SourcePower { get; } = new("--source-power") { Description = "Share of each class's draws per source, proportional to (its images)^POWER: 1 = every image alike (default), 0 = every source alike, 0.5 = between.", DefaultValueFactory = _ => 1, HelpName = "power" };
    public Option<string> Select { get; } = new("--select") { Description = "Validation metric that picks the best epoch and drives the plateau schedule: acc (then AP) or auc.", DefaultValueFactory = _ => "acc", HelpName = "acc|auc" };

    public void AddTo(Command command)
    {
        foreach (Option option in new Option[] { Data, Output, Crop, ValidationCrop, BatchSize, LearningRate, Patience, LearningRateFactor, MinLearningRate,
                                                 MaxEpochs, Seed, Resume, Init, Limit, Threads, Jpeg, JpegQuality, Blur, BlurSigma, ResizedCrop, ResizedCropScale,
                                                 Rescale, RescaleMin, SyntheticFakes, Extra, Holdout, Select, SourcePower })
            command.Options.Add(option);
    }

    /// <summary>
    /// Applies --init to a freshly initialised <paramref name="net"/> and returns the metadata to
    /// record (the file's SHA-256), or nothing without --init. --init with --resume is an error.
    /// </summary>
    public (string Key, string Value)[] ApplyInit(ParseResult parse, Models.PatchLogitNet net)
    {
        ArgumentNullException.ThrowIfNull(parse);
        if (parse.GetValue(Init) is not { } path) return [];
        if (parse.GetValue(Resume) is not null) throw new ArgumentException("--init and --resume: a resumed run already has its weights; pass one of them");
        return [(InitialWeights.Sha256Key, InitialWeights.Apply(net, path))];
    }

    /// <summary>The settings from the command line; <paramref name="defaultBatchSize"/> when --batch-size is absent.</summary>
    public TrainingOptions Read(ParseResult parse, int defaultBatchSize, bool float16)
    {
        ArgumentNullException.ThrowIfNull(parse);
        if (parse.GetValue(Threads) is { } threads) TorchSharp.torch.set_num_threads(threads);
        var (jpegMin, jpegMax) = Range(parse.GetValue(JpegQuality)!, "--jpeg-quality");
        var (blurMin, blurMax) = Range(parse.GetValue(BlurSigma)!, "--blur-sigma");
        return new TrainingOptions
        {
            OutputFolder = parse.GetValue(Output)!,
            Crop = parse.GetValue(Crop),
            ValidationCrop = parse.GetValue(ValidationCrop),
            BatchSize = parse.GetValue(BatchSize) is > 0 and var b ? b : defaultBatchSize,
            LearningRate = parse.GetValue(LearningRate),
            Patience = parse.GetValue(Patience),
            LearningRateFactor = parse.GetValue(LearningRateFactor),
            MinLearningRate = parse.GetValue(MinLearningRate),
            MaxEpochs = parse.GetValue(MaxEpochs),
            Seed = parse.GetValue(Seed),
            Resume = parse.GetValue(Resume),
            ExportFloat16 = float16,
            Augmentation = new AugmentationOptions(
                parse.GetValue(Jpeg), (int)jpegMin, (int)jpegMax,
                parse.GetValue(Blur), blurMin, blurMax,
                parse.GetValue(ResizedCrop), parse.GetValue(ResizedCropScale),
                parse.GetValue(Rescale), parse.GetValue(RescaleMin),
                parse.GetValue(SyntheticFakes)),
            Selection = SelectionMetrics.Parse(parse.GetValue(Select)!),
            SourcePower = parse.GetValue(SourcePower),
        }.Validated();
    }

    /// <summary>
    /// Loads the train and val splits under --data and the --extra folders (limited by --limit). With
    /// --holdout the named sources, whole, are the validation set and everything else trains.
    /// </summary>
    public (ImageDataset Train, ImageDataset Validation) LoadData(ParseResult parse, TextWriter log)
    {
        string root = parse.GetValue(Data)!;
        int? limit = parse.GetValue(Limit);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var train = ImageDataset.Load(Path.Combine(root, "train"));
        var validation = ImageDataset.Load(Path.Combine(root, "val"));
        string[] extra = parse.GetValue(Extra) ?? [];
        if (extra.Length > 0) train = ImageDataset.Merge(train.Folder, [train, .. extra.Select(e => ImageDataset.Load(e, allowOneClass: true))]);
        if (parse.GetValue(Holdout) is { } holdout)
            (train, validation) = ImageDataset.Merge(train.Folder, [train, validation]).HoldOut(SourceList(holdout, "--holdout"));
        if (limit is { } n)
        {
            train = train.Subset(n);
            validation = validation.Subset(n);
        }
        log.WriteLine($"train: {train.Summary} (file list sha256 {train.Summary.FileListSha256[..12]}...); val: {validation.Summary}; decoded in {clock.Elapsed.TotalSeconds:F1} s");
        return (train, validation);
    }

    /// <summary>"a,b,c" (the value of <paramref name="option"/>) as a set of source names.</summary>
    public static IReadOnlySet<string> SourceList(string text, string option)
    {
        var names = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet(StringComparer.Ordinal);
        return names.Count > 0 ? names : throw new ArgumentException($"{option} '{text}': expected comma-separated source names");
    }

    /// <summary>"A-B" as two numbers.</summary>
    public static (double Min, double Max) Range(string text, string option)
    {
        string[] parts = text.Split('-', 2);
        if (parts.Length == 2 && double.TryParse(parts[0], NumberStyles.Float, CultureInfo.InvariantCulture, out double a)
            && double.TryParse(parts[1], NumberStyles.Float, CultureInfo.InvariantCulture, out double b))
            return (a, b);
        throw new ArgumentException($"{option} '{text}': expected MIN-MAX, e.g. 60-100");
    }
}
