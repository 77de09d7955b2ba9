#!/usr/bin/env node
import('../dist/generator/src/cli/main.js').then((m) => m.main(process.argv));
