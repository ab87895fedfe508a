namespace FastLaDeDa.Training.Training;

/// <summary>A checkpoint cannot be resumed: not a checkpoint, damaged, or made for another model, task, seed or training set.</summary>
public sealed class CheckpointException(string path, string cause, Exception? inner = null) : Exception($"{path}: {cause}", inner);
