#!/usr/bin/env node
'use strict';
// VADER compound score (npm vader-sentiment: SentimentIntensityAnalyzer.polarity_scores(text).compound),
// one number per input line. See README.md.
require('./lineio').run('vader', () => {
  const { SentimentIntensityAnalyzer } = require('vader-sentiment');
  return (text) => SentimentIntensityAnalyzer.polarity_scores(text).compound;
});
