namespace FastLaDeDa.Training.Training;

/// <summary>A checkpoint cannot be resumed: not a checkpoint, damaged, or made for another model, task, seed or training set.</summary>
internal sealed class CheckpointException(string path, string cause, Exception? inner = null) : Exception($"{path}: {cause}", inner);
