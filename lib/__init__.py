"""Generic helpers with no models and no knowledge of the apps."""
