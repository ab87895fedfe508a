using System.Text;
using System.Text.Json;
using FastLaDeDa.Preprocessing;
using FastLaDeDa.Training.Models;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace FastLaDeDa.Training.Training;

/// <summary>
/// What a run needs to continue after its last finished epoch, besides the weights: the task and
/// model (checked on resume), the seed (every random stream derives from seed and epoch, so this is
/// the whole sampler/RNG state), the plateau scheduler, the best epoch so far and the history.
/// </summary>
internal sealed record CheckpointState(
    string Task,
    string Model,
    int? ReceptiveField,
    string Preprocess,
    int Epoch,
    long Seed,
    int Crop,
    double LearningRate,
    double? PlateauBest,
    int EpochsWithoutGain,
    int BestEpoch,
    double BestAccuracy,
    double BestAp,
    string TrainFileListSha256,
    double TrainingSeconds,
    List<EpochMetrics> History,
    string? GitCommit = null);

/// <summary>
/// A training checkpoint in one file: a magic line, the <see cref="CheckpointState"/> as JSON, the
/// network (TorchSharp's module format: every parameter and buffer) and Adam's state (step, first
/// and second moments per parameter). Written to a temporary file and renamed, so an interrupted
/// write never leaves a broken checkpoint behind.
/// </summary>
internal static class Checkpoint
{
    private const string Magic = "FastLaDeDa.Training checkpoint v1";

    /// <summary>Writes the checkpoint.</summary>
    public static void Save(string path, CheckpointState state, PatchLogitNet net, OptimizerHelper optimizer)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(net);
        ArgumentNullException.ThrowIfNull(optimizer);
        string temp = path + ".tmp";
        using (var stream = File.Create(temp))
        using (var writer = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true))
        {
            writer.Write(Magic);
            writer.Write(JsonSerializer.Serialize(state));
            net.save(writer);
            optimizer.save_state_dict(writer);
        }
        File.Move(temp, path, overwrite: true);
    }

    /// <summary>Reads only the state (no tensors), e.g. to check a checkpoint before building a model.</summary>
    public static CheckpointState ReadState(string path)
    {
        using var stream = Open(path);
        using var reader = new BinaryReader(stream, Encoding.UTF8);
        return ReadHeader(reader, path);
    }

    /// <summary>
    /// Loads the checkpoint into <paramref name="net"/> and <paramref name="optimizer"/> after checking
    /// that it was written by <paramref name="task"/> for this very model (kind, receptive field,
    /// preprocessing); a mismatch is a <see cref="CheckpointException"/> saying what the file holds.
    /// </summary>
    public static CheckpointState Load(string path, string task, PatchLogitNet net, OptimizerHelper optimizer)
    {
        ArgumentNullException.ThrowIfNull(net);
        ArgumentNullException.ThrowIfNull(optimizer);
        using var stream = Open(path);
        using var reader = new BinaryReader(stream, Encoding.UTF8);
        CheckpointState state = ReadHeader(reader, path);
        string model = ModelName(net);
        if (state.Task != task || state.Model != model || state.Preprocess != net.Preprocess.ToName())
            throw new CheckpointException(path, $"a {state.Task} checkpoint of {state.Model} ({state.Preprocess}), not a {task} checkpoint of {model} ({net.Preprocess.ToName()})");
        try
        {
            net.load(reader, strict: true);
            optimizer.load_state_dict(reader);
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or EndOfStreamException or IOException or KeyNotFoundException or FormatException)
        {
            throw new CheckpointException(path, $"the tensors do not load into {model}: {ex.Message}", ex);
        }
        return state;
    }

    /// <summary>The model's name as checkpoints record it, e.g. <c>LaDeDa9</c> or <c>Tiny-LaDeDa</c>.</summary>
    public static string ModelName(PatchLogitNet net)
    {
        ArgumentNullException.ThrowIfNull(net);
        return net.DisplayName;
    }

    private static FileStream Open(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path)) throw new CheckpointException(path, "checkpoint not found");
        return File.OpenRead(path);
    }

    private static CheckpointState ReadHeader(BinaryReader reader, string path)
    {
        try
        {
            if (reader.ReadString() != Magic) throw new CheckpointException(path, "not a FastLaDeDa.Training checkpoint (wrong magic)");
            return JsonSerializer.Deserialize<CheckpointState>(reader.ReadString())
                ?? throw new CheckpointException(path, "empty checkpoint state");
        }
        catch (Exception ex) when (ex is EndOfStreamException or JsonException or IOException or FormatException)
        {
            throw new CheckpointException(path, "not a FastLaDeDa.Training checkpoint (unreadable header)", ex);
        }
    }
}
