// The Programs module.
