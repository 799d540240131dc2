import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config({ ignores: ['node_modules/', 'dist/', '.build/', 'tools/', 'synth/imports/'] }, js.configs.recommended, ...tseslint.configs.recommended, {
  languageOptions: { globals: { process: 'readonly', console: 'readonly' } },
  rules: {
    '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
  },
});
