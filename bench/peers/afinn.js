#!/usr/bin/env node
'use strict';
// AFINN score (npm sentiment: new Sentiment().analyze(text).comparative, i.e. AFINN sum / tokens),
// one number per input line. See README.md.
require('./lineio').run('afinn', () => {
  const Sentiment = require('sentiment');
  const s = new Sentiment();
  return (text) => s.analyze(text).comparative;
});
