#!/bin/sh
# Stage 1: makes $VOUCH_PARAM_ROWS points (x, y = 2x + small noise) from the seed $VOUCH_SEED.
set -eu
mkdir -p data
awk -v rows="$VOUCH_PARAM_ROWS" -v seed="$VOUCH_SEED" 'BEGIN {
  srand(seed)
  print "x,y"
  for (i = 0; i < rows; i++) {
    x = rand()
    printf "%.6f,%.6f\n", x, 2 * x + (rand() - 0.5) * 0.1
  }
}' > data/points.csv
