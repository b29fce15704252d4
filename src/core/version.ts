export const VERSION: string =
  typeof __DH_VIRTUALENV_VERSION__ === 'string' ? __DH_VIRTUALENV_VERSION__ : '0.0.0';
